"""Authentication backend that loads the user's unit with the user (one query per request)."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from org.models import User


class UnitModelBackend(ModelBackend):
    """Django's model backend; `request.user.unit` comes with the user, every page shows it."""

    def get_user(self, user_id: int) -> User | None:
        user = User.objects.select_related("unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
