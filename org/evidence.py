"""Evidence files (tài liệu minh chứng): which objects carry them, who sees and who attaches.

The ground keeps one `Attachment` model for every domain; it knows no domain model. Each
domain registers, in its app's `ready()`, the models whose pages take files:

- `visible(user)`: the scoped queryset that object's page reads. A file is served only
  when its object is in it, so another commune's file is simply not found (404), exactly
  as its page is;
- `may_attach(user, obj)`: the permission of the object's page that edits it, and whether
  the object is still open to changes (a sent report, a closed directive take no files);
- `page_url(obj)`: where the page is, to go back to after an upload or a removal;
- `parts(obj)`: optionally, the object's parts a file may back (a report's target rows),
  as (key, label) pairs; an upload naming a part is checked against them.

Pages read their files with `evidence_for`: one query for the object and all its parts (the
page passes the parts it has already loaded).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from org.filetypes import MEDIA_TYPES, extension, matches
from org.models import Attachment
from org.rules import is_admin, is_district_staff

if TYPE_CHECKING:
    from org.rules import AnyUser


@dataclass(frozen=True)
class EvidenceKind:
    """One model whose objects carry evidence files, as a domain registers it."""

    key: str  # in URLs: /attachments/<key>/<pk>/
    model: type[models.Model]
    visible: Callable[[AnyUser], models.QuerySet]
    may_attach: Callable[[AnyUser, models.Model], bool]
    page_url: Callable[[models.Model], str]
    parts: Callable[[models.Model], Sequence[tuple[str, str]]] = field(default=lambda obj: ())


_KINDS: dict[str, EvidenceKind] = {}


def register(kind: EvidenceKind) -> None:
    if kind.key in _KINDS and _KINDS[kind.key].model is not kind.model:
        raise ValueError(f"Evidence kind {kind.key!r} is already registered.")
    _KINDS[kind.key] = kind


def kind_named(key: str) -> EvidenceKind | None:
    return _KINDS.get(key)


def kind_of(model: type[models.Model]) -> EvidenceKind | None:
    return next((k for k in _KINDS.values() if k.model is model), None)


def allowed_types() -> list[str]:
    """The extensions accepted: those of EVIDENCE_TYPES the portal can recognise."""
    return [ext for ext in settings.EVIDENCE_TYPES if ext in MEDIA_TYPES]


def limits_text() -> str:
    """ "PDF, PNG, JPG … · tối đa 10,0 MB", shown beside every upload form."""
    types = ", ".join(ext.upper() for ext in allowed_types())
    return _("%(types)s · tối đa %(size)s") % {
        "types": types,
        "size": filesizeformat(settings.EVIDENCE_MAX_BYTES),
    }


def find_object(user: AnyUser, attachment: Attachment) -> models.Model | None:
    """The attachment's object, if the user may see it; None otherwise (or when its model
    is not registered, or it was deleted)."""
    model = attachment.content_type.model_class()
    kind = kind_of(model) if model is not None else None
    if kind is None:
        return None
    return kind.visible(user).filter(pk=attachment.object_id).first()


def may_remove(user: AnyUser, attachment: Attachment, obj: models.Model) -> bool:
    """Its uploader, or office staff over the object, while the object is still open."""
    kind = kind_of(type(obj))
    return kind is not None and _may_remove(user, attachment, kind.may_attach(user, obj))


def _may_remove(user: AnyUser, attachment: Attachment, may_attach: bool) -> bool:
    # Office staff may attach only to objects in their scope: may_attach holds the scope.
    if not may_attach or attachment.removed_at is not None:
        return False
    return attachment.uploaded_by_id == user.pk or is_admin(user) or is_district_staff(user)


def check_file(upload: UploadedFile) -> str:
    """The extension of an acceptable upload; a ValidationError in Vietnamese otherwise.

    The size, the name's extension and the content must all agree with the settings: a
    renamed program ("bao-cao.pdf" starting with MZ) is refused, as is a zip that is not
    the Office document its name says."""
    if upload.size is None or upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("Tệp lớn hơn giới hạn %(limit)s.")
            % {"limit": filesizeformat(settings.EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    ext = extension(upload.name or "")
    if ext not in allowed_types():
        raise ValidationError(
            _("Không nhận loại tệp này. Các loại được nhận: %(types)s.")
            % {"types": ", ".join(t.upper() for t in allowed_types())},
            code="type_not_allowed",
        )
    if not matches(upload.name, upload):
        raise ValidationError(
            _(
                "Nội dung tệp không đúng là tệp %(ext)s như tên của nó (tệp bị đổi tên hoặc "
                "bị hỏng); tệp không được lưu."
            )
            % {"ext": ext.upper()},
            code="content_mismatch",
        )
    return ext


def clean_name(name: str) -> str:
    """The sender's file name, fit to show and to offer on download: its last path part,
    NFC, without control characters, at most 200 characters (the extension kept)."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 199 - len(ext)]}{dot}{ext}" if dot else name[:200]
    return name or "tai-lieu"


@dataclass
class Evidence:
    """What the evidence partial shows for one object: its files, by part, and the forms."""

    kind: EvidenceKind
    obj: models.Model
    attachments: list[Attachment]
    may_attach: bool
    removable: set[int]
    parts: Sequence[tuple[str, str]]
    limits: str

    @property
    def whole(self) -> list[Attachment]:
        """The files of the object as a whole."""
        return [a for a in self.attachments if not a.part]

    def of_part(self, part: str) -> list[Attachment]:
        return [a for a in self.attachments if a.part == part]

    @property
    def by_part(self) -> list[tuple[str, str, list[Attachment]]]:
        """Each part that has files: its key, its label and its files."""
        rows = [(key, label, self.of_part(key)) for key, label in self.parts]
        return [row for row in rows if row[2]]

    @property
    def accept(self) -> str:
        """The file input's `accept`: a hint for the browser's picker; the server checks."""
        return ",".join(f".{ext}" for ext in allowed_types())


def evidence_for(
    user: AnyUser, obj: models.Model | None, parts: Sequence[tuple[str, str]] = ()
) -> Evidence | None:
    """The files of an object its page shows (one query), or None when there is no object
    yet (a report not saved) or its model carries no files. `parts` are the object's parts
    as the page has loaded them (the registry's `parts` would read them again)."""
    if obj is None or obj.pk is None:
        return None
    kind = kind_of(type(obj))
    if kind is None:
        return None
    attachments = list(
        Attachment.objects.of(kind.model, [obj.pk]).current().select_related("uploaded_by")
    )
    may_attach = kind.may_attach(user, obj)
    return Evidence(
        kind=kind,
        obj=obj,
        attachments=attachments,
        may_attach=may_attach,
        removable={a.pk for a in attachments if _may_remove(user, a, may_attach)},
        parts=parts,
        limits=limits_text(),
    )
