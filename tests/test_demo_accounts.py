"""The two demo accounts read apart in the admin's header: name and role."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "greeting"),
    [("reviewer", "Rosa (reviewer)"), ("editor", "Eli (editor)")],
)
def test_each_demo_account_is_welcomed_by_its_own_name_and_role(
    demo_users, client, django_user_model, username, greeting
):
    client.force_login(django_user_model.objects.get(username=username))
    page = client.get(reverse("admin:index")).content.decode()
    assert f"<strong>{greeting}</strong>" in page
