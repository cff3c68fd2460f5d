"""Administrative units, clusters, fields and the people who use the portal.

Units form one dated tree: a province contains districts (before 1/7/2025) or communes
directly (after), and a unit version is identified by its official code together with the
date it became valid, because codes are reused after mergers.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# How deep the unit tree can be below a user's unit: province → district → commune.
# Scope queries walk the parent chain this far, so a deeper tree only needs a bigger number.
UNIT_TREE_DEPTH = 3

# The years the portal keeps data for: clusters here, plans, assessments and ratings above.
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_RANGE = Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR)
YEAR_MESSAGE = _("Năm phải trong khoảng 2000–2100.")


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    CITY = "city", _("Thành phố trực thuộc trung ương")
    DISTRICT = "district", _("Huyện / quận / thị xã")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWNSHIP = "township", _("Thị trấn")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")


# Units that write concretizing plans (đơn vị cấp xã).
PLANNING_KINDS = (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE)

_NAME_PREFIX = {
    UnitKind.PROVINCE: "Tỉnh",
    UnitKind.CITY: "Thành phố",
    UnitKind.DISTRICT: "Huyện",
    UnitKind.COMMUNE: "Xã",
    UnitKind.WARD: "Phường",
    UnitKind.TOWNSHIP: "Thị trấn",
    UnitKind.SPECIAL_ZONE: "Đặc khu",
}


# A supervising level's Party committee has a name of its own ("Huyện ủy"); below that it is
# the level's Đảng ủy ("Đảng ủy xã").
_PARTY_COMMITTEE = {
    "Tỉnh": "Tỉnh ủy",
    "Thành phố": "Thành ủy",
    "Huyện": "Huyện ủy",
    "Quận": "Quận ủy",
    "Thị xã": "Thị ủy",
}


class UnitQuerySet(models.QuerySet["Unit"]):
    def within(self, root: Unit) -> UnitQuerySet:
        """The root unit and every unit below it."""
        condition = Q(pk=root.pk)
        lookup = "parent"
        for _depth in range(UNIT_TREE_DEPTH):
            condition |= Q(**{lookup: root.pk})
            lookup += "__parent"
        return self.filter(condition)

    def planning(self) -> UnitQuerySet:
        """Commune-level units, the ones that write concretizing plans."""
        return self.filter(kind__in=PLANNING_KINDS)

    def supervising(self) -> UnitQuerySet:
        """Provinces and districts: the units that issue programmes and set report rules."""
        return self.exclude(kind__in=PLANNING_KINDS)

    def valid_in_year(self, year: int) -> UnitQuerySet:
        """Units that existed on at least one day of the year."""
        return self.filter(valid_from__lte=datetime.date(year, 12, 31)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=datetime.date(year, 1, 1))
        )

    def valid_on(self, day: datetime.date) -> UnitQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Unit(models.Model):
    """Đơn vị hành chính: one version of an administrative unit in the dated tree."""

    kind = models.CharField(_("cấp / loại đơn vị"), max_length=16, choices=UnitKind.choices)
    name = models.CharField(_("tên"), max_length=120, help_text=_("Không kèm cấp, ví dụ: Mỹ Quý."))
    other_names = models.CharField(
        _("tên gọi khác"),
        max_length=200,
        blank=True,
        help_text=_("Cách viết khác dùng trong văn bản, cách nhau bằng dấu phẩy (Mỹ Quí)."),
    )
    code = models.CharField(
        _("mã đơn vị"),
        max_length=8,
        help_text=_("Mã Tổng cục Thống kê: tỉnh 2 chữ số, huyện 3, xã 5."),
    )
    title = models.CharField(
        _("tên cấp"),
        max_length=20,
        blank=True,
        help_text=_("Khi khác tên thường của cấp: Quận, Thị xã, Thành phố (thuộc tỉnh)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"))
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="org_unit_code_valid_from_unique",
                violation_error_message=_("Đã có đơn vị mang mã này hiệu lực từ cùng ngày."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values),
                name="org_unit_kind_valid",
                violation_error_message=_("Cấp đơn vị không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="org_unit_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="org_unit_not_own_parent",
                violation_error_message=_("Đơn vị không thể là cấp trên của chính nó."),
            ),
        ]
        indexes = [
            # the home page lists the children of the user's unit valid in a year
            models.Index(fields=["parent", "kind"], name="org_unit_parent_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def level(self) -> str:
        """The level as the name is prefixed: "Xã", "Thị trấn", or the unit's own title."""
        return self.title or _NAME_PREFIX[UnitKind(self.kind)]

    @property
    def full_name(self) -> str:
        """The name with its level, as documents write it: "Xã Mỹ Quý"."""
        return f"{self.level} {self.name}"

    @property
    def party_committee(self) -> str:
        """The unit's Party committee as its documents are headed: "Huyện ủy Tháp Mười"."""
        if self.level in _PARTY_COMMITTEE:
            return f"{_PARTY_COMMITTEE[self.level]} {self.name}"
        return f"Đảng ủy {self.level.lower()} {self.name}"

    @property
    def peoples_committee(self) -> str:
        """The unit's People's Committee: "Ủy ban nhân dân huyện Cao Lãnh"."""
        return f"Ủy ban nhân dân {self.level.lower()} {self.name}"

    @property
    def short_name(self) -> str:
        """The name behind its level's initials, for chips and chart axes: "TT. Mỹ An" and
        "X. Mỹ An" stay two units where the bare names would read alike."""
        return f"{''.join(word[0].upper() for word in self.level.split())}. {self.name}"

    @property
    def supervisor_ids(self) -> tuple[int, ...]:
        """The units above this one, nearest first (its parent, the parent's parent): whose
        rules apply to it. Reads `parent`: select it with the unit."""
        parent = self.parent if self.parent_id else None
        return tuple(pk for pk in (self.parent_id, parent and parent.parent_id) if pk)

    @property
    def is_planning(self) -> bool:
        """A commune-level unit, one that writes a concretizing plan."""
        return self.kind in PLANNING_KINDS

    @property
    def display_name(self) -> str:
        """Full name with the other spellings: "Xã Mỹ Quý (Mỹ Quí)"."""
        if self.other_names:
            return f"{self.full_name} ({self.other_names})"
        return self.full_name


class UnitSuccession(models.Model):
    """Sắp xếp đơn vị hành chính: an old unit whose territory passed to a new one."""

    predecessor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị cũ"),
        on_delete=models.PROTECT,
        related_name="successions",
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị mới"),
        on_delete=models.PROTECT,
        related_name="predecessions",
    )
    effective_on = models.DateField(_("có hiệu lực từ ngày"))
    partial = models.BooleanField(
        _("chỉ một phần"),
        default=False,
        help_text=_("Đơn vị cũ chỉ chuyển một phần địa giới sang đơn vị mới."),
    )
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")
        ordering = ["effective_on", "predecessor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="org_unitsuccession_pair_unique",
                violation_error_message=_("Cặp đơn vị cũ – mới này đã được ghi nhận."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="org_unitsuccession_distinct_units",
                violation_error_message=_("Đơn vị cũ và đơn vị mới phải khác nhau."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"


class Cluster(models.Model):
    """Cụm: neighbouring communes of one supervising unit, grouped for a year's reviews."""

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị quản lý"),
        on_delete=models.PROTECT,
        related_name="clusters",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên cụm"), max_length=120)
    members = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị thành viên"), related_name="cluster_memberships", blank=True
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cụm")
        verbose_name_plural = _("cụm")
        ordering = ["unit__code", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "name"],
                name="org_cluster_name_unique_per_year",
                violation_error_message=_("Đơn vị đã có cụm trùng tên trong năm này."),
            ),
            models.CheckConstraint(
                condition=YEAR_RANGE,
                name="org_cluster_year_range",
                violation_error_message=YEAR_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Field(models.Model):
    """Lĩnh vực: a small tree of policy fields (Kinh tế → Nông nghiệp, nông thôn …)."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="org_field_not_own_parent",
                violation_error_message=_("Lĩnh vực không thể thuộc chính nó."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    DISTRICT_STAFF = "district_staff", _("Cán bộ văn phòng cấp huyện / tỉnh")
    LEADER = "leader", _("Lãnh đạo")
    INSPECTOR = "inspector", _("Thành viên đoàn kiểm tra")
    COMMUNE_STAFF = "commune_staff", _("Cán bộ cấp xã")


class PortalUserManager(UserManager):
    """`createsuperuser` makes the first administrator: an admin needs no unit."""

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Người dùng: an account with one role, scoped to one administrative unit."""

    role = models.CharField(
        _("vai trò"), max_length=20, choices=Role.choices, default=Role.COMMUNE_STAFF
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Đơn vị công tác; phạm vi dữ liệu người dùng được xem."),
    )
    job_title = models.CharField(
        _("chức vụ"), max_length=200, blank=True, help_text=_("Ví dụ: Chánh Văn phòng Huyện ủy.")
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=Role.values),
                name="org_user_role_valid",
                violation_error_message=_("Vai trò không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN) | Q(unit__isnull=False),
                name="org_user_unit_required_unless_admin",
                violation_error_message=_("Người dùng (trừ quản trị) phải thuộc một đơn vị."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class NotificationKind(models.TextChoices):
    """What a notification tells: each event of the cycle someone must hear about."""

    PLAN_RETURNED = "plan_returned", _("Kế hoạch bị trả lại")
    PLAN_APPROVED = "plan_approved", _("Kế hoạch được duyệt")
    REPORT_RETURNED = "report_returned", _("Báo cáo bị trả lại")
    DIRECTIVE_ISSUED = "directive_issued", _("Ý kiến chỉ đạo mới")
    DIRECTIVE_ANSWERED = "directive_answered", _("Đơn vị báo cáo thực hiện chỉ đạo")
    DIRECTIVE_VERIFIED = "directive_verified", _("Chỉ đạo được xác nhận hoàn thành")
    DIRECTIVE_REOPENED = "directive_reopened", _("Chỉ đạo được mở lại")
    DIRECTIVE_CLOSED = "directive_closed", _("Chỉ đạo được đóng khi đơn vị chưa báo cáo")
    DEADLINE_NEAR = "deadline_near", _("Nhắc việc sắp đến hạn")
    OVERDUE = "overdue", _("Đôn đốc việc quá hạn")
    ESCALATED = "escalated", _("Việc quá hạn nhiều lần, báo lãnh đạo")


# The reminders of the đôn đốc schedule; an escalation cannot be turned off.
REMINDER_KINDS = (
    NotificationKind.DEADLINE_NEAR,
    NotificationKind.OVERDUE,
    NotificationKind.ESCALATED,
)
ESCALATION_KINDS = (NotificationKind.ESCALATED,)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Thông báo: one event told to one person, shown in the portal until read.

    `key` names the event (``plan_returned:42:3`` — the plan and its version), so that telling
    the same event twice (a retried request, a second pass) leaves one row per person."""

    recipient = models.ForeignKey(
        User, verbose_name=_("người nhận"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=24, choices=NotificationKind.choices)
    subject = models.CharField(_("về việc"), max_length=300)
    note = models.TextField(_("ghi chú"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=300)
    key = models.CharField(_("mã sự kiện"), max_length=120)
    # what it is about ("directive:42", "report:17:36"): a directive's or a report's page
    # reads its đôn đốc log by it
    topic = models.CharField(_("về đối tượng"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="org_notification_once"),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="org_notification_kind_valid",
                violation_error_message=_("Loại thông báo không hợp lệ."),
            ),
        ]
        indexes = [
            # the menu's unread count and the list read a person's newest first
            models.Index(fields=["recipient", "read_at", "created_at"], name="org_notif_inbox_idx"),
            models.Index(fields=["topic", "created_at"], name="org_notif_topic_idx"),
            # delivery planning reads the notifications written since a moment
            models.Index(fields=["created_at"], name="org_notif_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class DeliveryMode(models.TextChoices):
    """How a person wants one kind of notification beyond the portal."""

    INSTANT = "instant", _("Gửi thư ngay")
    DIGEST = "digest", _("Gộp vào thư tổng hợp hằng ngày")
    OFF = "off", _("Không gửi thư")


class NotificationPreference(models.Model):
    """Cách nhận thông báo: one person's choice for one kind; no row means at once."""

    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("loại thông báo"), max_length=24, choices=NotificationKind.choices)
    mode = models.CharField(
        _("cách nhận"), max_length=8, choices=DeliveryMode.choices, default=DeliveryMode.INSTANT
    )

    class Meta:
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = _("cách nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="org_preference_once"),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="org_preference_kind_valid",
                violation_error_message=_("Loại thông báo không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(mode__in=DeliveryMode.values)
                & ~Q(kind__in=ESCALATION_KINDS, mode=DeliveryMode.OFF),
                name="org_preference_mode_valid",
                violation_error_message=_("Không thể tắt thông báo việc quá hạn báo lãnh đạo."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} – {self.get_mode_display()}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("chờ gửi")
    HELD = "held", _("chờ thư tổng hợp")
    SENDING = "sending", _("đang gửi")
    SENT = "sent", _("đã gửi")
    FAILED = "failed", _("gửi không được")
    SKIPPED = "skipped", _("không gửi")


class Delivery(models.Model):
    """Gửi thông báo: one notification on one channel beyond the portal (e-mail), with its
    attempts. One row per notification and channel: the idempotency key of the send, so a
    retried task or a second worker never sends it twice."""

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("thông báo"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    channel = models.CharField(_("kênh"), max_length=16)
    status = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lại từ"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    # the daily digest that carried it ("digest:7:2026-12-04:x3k9qa", one per sending task)
    batch = models.CharField(_("thư tổng hợp"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần gửi thông báo")
        verbose_name_plural = _("lần gửi thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="org_delivery_once"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values),
                name="org_delivery_status_valid",
                violation_error_message=_("Trạng thái gửi không hợp lệ."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="org_delivery_due_idx"),
            models.Index(fields=["batch"], name="org_delivery_batch_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.notification} ({self.get_status_display()})"


def validate_days_before(value: str) -> None:
    """ "7,3,1": whole days before a deadline, each 1–60."""
    try:
        days = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        days = None
    if not days or any(not 1 <= day <= 60 for day in days):
        raise ValidationError(
            _("Ghi số ngày trước hạn (1–60), cách nhau bởi dấu phẩy, ví dụ 7,3,1."),
            code="days_before",
        )


class ReminderPolicy(models.Model):
    """Lịch đôn đốc: when a supervising unit's communes are reminded of their deadlines and
    when the leader hears of what stays overdue. A unit without one uses its parent's, then
    the default (7, 3, 1 days before, on the day, every 7 days after, the leader after 2)."""

    unit = models.OneToOneField(
        Unit,
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.CASCADE,
        related_name="reminder_policy",
    )
    days_before = models.CharField(
        _("nhắc trước hạn (ngày)"),
        max_length=40,
        default="7,3,1",
        validators=[validate_days_before],
        help_text=_("Số ngày trước hạn, cách nhau bởi dấu phẩy."),
    )
    on_the_day = models.BooleanField(_("nhắc đúng ngày hạn"), default=True)
    every_after = models.PositiveSmallIntegerField(
        _("đôn đốc sau hạn, mỗi (ngày)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("báo lãnh đạo sau (lần đôn đốc quá hạn)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )

    class Meta:
        verbose_name = _("lịch đôn đốc")
        verbose_name_plural = _("lịch đôn đốc")

    def __str__(self) -> str:
        return str(self.unit)

    @property
    def before(self) -> tuple[int, ...]:
        return tuple(
            sorted({int(p) for p in self.days_before.split(",") if p.strip()}, reverse=True)
        )


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def current(self) -> AttachmentQuerySet:
        """Not removed: the files an object's page lists and serves."""
        return self.filter(removed_at__isnull=True)

    def of(self, model: type[models.Model], ids: list[int]) -> AttachmentQuerySet:
        """The files of these objects of one model. Matches the content type by its natural
        key in the same query, so that a page costs one query however warm the content
        type cache is."""
        return self.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
            object_id__in=ids,
        )


class Attachment(models.Model):
    """Tài liệu minh chứng: one file attached to an object of a domain (a report, a
    directive's follow-up, an NTM assessment, a plan, a programme).

    The object is generic; which models may carry files, who sees them and who may attach
    them is registered by each domain (`org.evidence`). The content lives in the "evidence"
    storage under a random name; the name the sender gave is kept here only to be shown and
    offered on download. A removal is recorded (who, when) and kept in history; the file
    stays in storage."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại đối tượng"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("mã đối tượng"))
    target = GenericForeignKey("content_type", "object_id")
    # Part of the object the file backs, when the object has parts: a report's target row
    # ("item:42"). Empty for the object as a whole.
    part = models.CharField(_("phần"), max_length=40, blank=True)
    name = models.CharField(_("tên tệp"), max_length=200)
    description = models.CharField(_("nội dung tài liệu"), max_length=300, blank=True)
    stored_name = models.CharField(_("tên lưu trữ"), max_length=100, unique=True, editable=False)
    media_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    removed_at = models.DateTimeField(_("gỡ lúc"), null=True, blank=True)
    removed_by = models.ForeignKey(
        User,
        verbose_name=_("người gỡ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AttachmentQuerySet.as_manager()
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("tài liệu minh chứng")
        verbose_name_plural = _("tài liệu minh chứng")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True, removed_by__isnull=True)
                | Q(removed_at__isnull=False, removed_by__isnull=False),
                name="org_attachment_removal_has_author",
                violation_error_message=_("Việc gỡ tài liệu phải ghi người gỡ và thời điểm."),
            ),
        ]
        indexes = [
            # every page with evidence lists its object's files
            models.Index(fields=["content_type", "object_id"], name="org_attachment_object_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:attachment-download", args=[self.pk])
