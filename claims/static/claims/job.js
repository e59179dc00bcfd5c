// Live progress: the job's API, read every second until the job is over;
// then the page once more, for its errors, documents and download.
(function () {
  const box = document.getElementById("job");
  const over = ["done", "failed", "cancelled"];
  if (over.includes(box.dataset.status)) return;
  const bar = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  const status = document.getElementById("job-status");
  async function poll() {
    try {
      const response = await fetch(box.dataset.api, {credentials: "same-origin", headers: {Accept: "application/json"}});
      if (response.ok) {
        const job = await response.json();
        const done = job.progress.done, total = job.progress.total;
        if (total !== null) bar.max = total;
        bar.value = done;
        count.textContent = total === null ? String(done) : done + " of " + total;
        status.textContent = job.status;
        if (over.includes(job.status)) { window.location.reload(); return; }
      }
    } catch (error) { /* a dropped request: try again */ }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
