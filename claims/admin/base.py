"""What every admin page shares: DESIGN.md's roles, and writes through services.

The admin asks ``claims.roles`` exactly as the API does, so a reviewer can
change their own work (and suggestions nobody owns) and an editor anyone's.
Every form is a ``ServiceForm``: validating it calls the service that owns
the rules, never ``Model.save``, and a page shown again with errors rolls
back whatever that service wrote. Deletes go through services too.
"""

from collections.abc import Callable
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import ProtectedError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from claims import roles, selectors
from claims.services import VersionConflict


class RoleAdmin(admin.ModelAdmin):
    """Permissions by role: staff read, reviewers write, owners change."""

    # A URL typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, *args):
        return roles.is_reviewer(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return roles.is_reviewer(request.user)
        return roles.can_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().changeform_view(
                request, object_id, form_url, extra_context
            )
            undo_if_shown_again(response)
            return response

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            # For the read-only fields' displays, which are handed the object
            # alone: what they read of its work is what the user may see.
            obj.admin_viewer = request.user
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _visible_choices(
            super().formfield_for_foreignkey(db_field, request, **kwargs), request
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _visible_choices(
            super().formfield_for_manytomany(db_field, request, **kwargs), request
        )

    def save_model(self, request, obj, form, change):
        pass  # validating the ServiceForm has stored it

    def delete_object(self, obj) -> None:
        """Delete through the model's service; each admin names its own."""
        raise NotImplementedError(f"{type(self).__name__} deletes through no service")

    def delete_model(self, request, obj):
        """One handling of a refused delete for every admin page: the
        service's reason lands on the page as an error, nothing is deleted,
        and no "deleted successfully" follows it."""
        try:
            self.delete_object(obj)
        except (ProtectedError, ValidationError, VersionConflict) as error:
            self.refuse(request, error)
            request.claims_delete_refused = True

    def response_delete(self, request, obj_display, obj_id):
        if getattr(request, "claims_delete_refused", False):
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[obj_id],
                    current_app=self.admin_site.name,
                )
            )
        return super().response_delete(request, obj_display, obj_id)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def decide_each(self, request, queryset, decide) -> None:
        """Accept or reject (``decide``) each selected object the user may
        change; say how many were someone else's and left as they were."""
        refused = 0
        for obj in queryset:
            if not roles.can_change(request.user, obj):
                refused += 1
                continue
            try:
                decide(obj)
            except ValidationError as error:
                # Each decision is its own transaction: the others stand.
                self.refuse(request, error)
        if refused:
            self.message_user(
                request,
                f"{refused} belong to another reviewer and were left as they were.",
            )

    def refuse(self, request, error: Exception) -> None:
        """Tell the user why a service refused, in the admin's own words."""
        if isinstance(error, ValidationError):
            text = "; ".join(error.messages)
        elif isinstance(error, ProtectedError):
            text = error.args[0]
        else:
            text = str(error)
        self.message_user(request, text, level=messages.ERROR)


class SourceNameSearchMixin:
    """The list's search also finds what a source is called by any of its
    names (``search_by_source_names``, a selector): "Suleimani" finds
    Qassem Soleimani's claims."""

    # Read off the class (``type(self)``), so that it stays a plain function.
    search_by_source_names: ClassVar[Callable[..., Any] | None] = None

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        widen = type(self).search_by_source_names
        if widen is None or not search_term.strip():
            return found, may_have_duplicates
        by_names = widen(queryset, search_term, viewer=request.user)
        return selectors.in_either(queryset, found, by_names), False


def _visible_choices(field, request):
    """A form field's choices narrowed to the rows the user may see
    (``selectors.visible_to``): a hidden claim or source, named by its id,
    is refused as one that does not exist."""
    if field is not None and getattr(field, "queryset", None) is not None:
        field.queryset = selectors.visible_to(field.queryset, request.user)
    return field


def admin_viewer(obj):
    """Who the admin page showing ``obj`` is for (``RoleAdmin.get_form``)."""
    return getattr(obj, "admin_viewer", None)


class HistoryRoleAdmin(SimpleHistoryAdmin, RoleAdmin):
    """Role rules plus the change history, which owners and editors can revert.

    The history of a row hidden from the user (another annotator's, in
    independent annotation) is a 404, as its change page says it does not
    exist (``selectors.history_hidden``).
    """

    def has_change_history_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_view_history_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def _refuse_hidden(self, request, object_id) -> None:
        if selectors.history_hidden(
            self.get_queryset(request), object_id, request.user
        ):
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_hidden(request, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting is changing: the rules apply to the object as it is now.

        (django-simple-history asks only about the historic copy, whose
        owner or status may differ from the current one's.)
        """
        self._refuse_hidden(request, unquote(object_id))
        current = self.get_object(request, unquote(object_id))
        if request.method == "POST" and (
            current is None or not self.has_change_permission(request, current)
        ):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            response = super().history_form_view(
                request, object_id, version_id, extra_context
            )
            undo_if_shown_again(response)
            return response


def undo_if_shown_again(response) -> None:
    """A form page shown again has errors: roll back what its service wrote.

    The service ran in the form's validation; an invalid inline or another
    error elsewhere on the page must not leave that write in place.
    """
    context = getattr(response, "context_data", None) or {}
    if context.get("errors"):
        transaction.set_rollback(True)


def annotated_count(name: str, description: str):
    """A list column showing a count the queryset annotates, sortable by it."""

    @admin.display(description=description, ordering=name)
    def column(self, obj):
        return getattr(obj, name)

    column.__name__ = name
    return column


def service_errors_to_form(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _form_field(model_field, **kwargs):
    # Used when the form classes are built, at import: the admin builds the
    # forms it serves with its own callback (formfield_overrides above).
    # A URL typed without a scheme is taken as https (Django 6's default).
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class ServiceForm(forms.ModelForm):
    """A model form whose save is a service call.

    The service runs in ``clean()``, inside the admin's transaction (Django's
    change view is atomic), so that a rule it refuses lands on the form as an
    error rather than after a redirect; ``save()`` hands back what it stored.
    The model's own validation is the service's to run.
    """

    request = None  # set by RoleAdmin.get_form

    class Meta:
        # Subclasses' Meta inherit this one, and with it the callback.
        formfield_callback = _form_field

    def call_service(self, data: dict):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.result = self.call_service(data)
            except ValidationError as error:
                service_errors_to_form(self, error)
            except VersionConflict as conflict:
                self.add_error(
                    None,
                    f"{conflict} Someone saved it after this page was opened: "
                    "reload the page to see their change, then make yours again.",
                )
        return data

    def _post_clean(self):
        pass

    def save(self, commit=True):
        return self.result

    def save_m2m(self):
        pass


class VersionedServiceForm(ServiceForm):
    """A service form for a versioned object (attributions, claims, reviews,
    annotations, sources).

    The version the page showed comes back with the form, and the update
    service refuses the write if someone has saved since, so that the later
    save does not silently undo the earlier one.
    """

    # Not "version": that is the model's own field, which no form may edit.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # From the row, not the instance: the history page builds the
            # form on a historic copy, and reverting changes the object as
            # it is now.
            self.fields["seen_version"].initial = selectors.stored_version(
                self.instance
            )

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("seen_version")


def names_field(label: str, help_text: str) -> forms.CharField:
    """Names one a line (aliases, tags)."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
    )


def split_names(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]
