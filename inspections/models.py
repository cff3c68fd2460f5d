"""Inspections: campaigns, delegations, visits, findings, directives and their follow-up.

A supervising unit's Standing Board sends delegations (đoàn công tác) to its communes; a
visit (buổi làm việc) records strengths and shortcomings and ends with directives (ý kiến
chỉ đạo) that the commune must act on. Whether a directive was done on time is computed
from its deadline and completion date, never typed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from org.models import Cluster, Field, Unit
from plans.models import YEAR_VALIDATORS, PlanItem


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, user) -> CampaignQuerySet:
        """Campaigns of units in scope; an inspector's, those they are a member of."""
        from org.rules import is_inspector, visible_units

        if is_inspector(user):
            return self.filter(pk__in=Delegation.objects.filter(members=user).values("campaign"))
        return self.filter(unit__in=visible_units(user))


class Campaign(models.Model):
    """Đợt kiểm tra: a supervising unit's inspection campaign for a year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị tổ chức"), on_delete=models.PROTECT, related_name="campaigns"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    title = models.CharField(_("tên đợt kiểm tra"), max_length=500)
    decision = models.CharField(
        _("quyết định thành lập đoàn"), max_length=200, blank=True, help_text=_("Số, ngày.")
    )
    starts_on = models.DateField(_("từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    summary = models.TextField(_("nhận xét chung"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="inspections_campaign_ends_after_start",
                violation_error_message=_("Ngày kết thúc phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:campaign-detail", args=[self.pk])


class Delegation(models.Model):
    """Đoàn công tác: one team of a campaign, its head, members and assigned units."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("đợt kiểm tra"),
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    name = models.CharField(_("tên đoàn"), max_length=100, help_text=_("Ví dụ: Đoàn số 1."))
    head_role = models.CharField(
        _("trưởng đoàn"), max_length=300, help_text=_("Chức vụ, ví dụ: Bí thư Huyện ủy.")
    )
    member_roles = models.TextField(
        _("thành phần"), blank=True, help_text=_("Chức vụ các thành viên, mỗi dòng một người.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản thành viên"),
        related_name="delegations",
        blank=True,
    )
    units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị được kiểm tra"), related_name="inspection_delegations"
    )
    # Who was a member, and which units it covered, when: powers follow membership.
    history = HistoricalRecords(m2m_fields=[members, units])

    class Meta:
        verbose_name = _("đoàn công tác")
        verbose_name_plural = _("đoàn công tác")
        ordering = ["campaign_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"],
                name="inspections_delegation_name_unique",
                violation_error_message=_("Đợt kiểm tra đã có đoàn trùng tên."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.campaign}"


class VisitKind(models.TextChoices):
    PLAN_INSPECTION = "plan_inspection", _("Kiểm tra thực hiện kế hoạch")
    WORKING_SESSION = "working_session", _("Làm việc của lãnh đạo")
    NTM_ASSIGNMENT = "ntm_assignment", _("Giao nhiệm vụ nông thôn mới")
    CLUSTER_CONFERENCE = "cluster_conference", _("Hội nghị giao ban cụm")


class Issuer(models.TextChoices):
    """Who issues the conclusion notice: the Party committee or the People's Committee. The
    two write their header and signature differently."""

    PARTY = "party", _("Cấp ủy đảng (Huyện ủy, Tỉnh ủy…)")
    STATE = "state", _("Ủy ban nhân dân")


class Half(models.IntegerChoices):
    FIRST = 1, _("6 tháng đầu năm")
    SECOND = 2, _("6 tháng cuối năm")


class PartOfDay(models.TextChoices):
    MORNING = "morning", _("Buổi sáng")
    AFTERNOON = "afternoon", _("Buổi chiều")
    ALL_DAY = "all_day", _("Cả ngày")


class VisitQuerySet(models.QuerySet["Visit"]):
    def visible_to(self, user) -> VisitQuerySet:
        """Visits hosted by a unit in scope, and cluster conferences a unit in scope attended."""
        from org.rules import visible_units

        units = visible_units(user)
        attended = Visit.attending.through.objects.filter(unit__in=units).values("visit")
        return self.filter(Q(host__in=units) | Q(pk__in=attended))


class Visit(models.Model):
    """Buổi làm việc: a delegation's (or a leader's) working session with a host unit."""

    kind = models.CharField(_("loại buổi làm việc"), max_length=20, choices=VisitKind.choices)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("đợt kiểm tra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("đoàn công tác"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    host = models.ForeignKey(
        Unit, verbose_name=_("đơn vị làm việc"), on_delete=models.PROTECT, related_name="visits"
    )
    date = models.DateField(_("ngày"))
    part_of_day = models.CharField(
        _("buổi"), max_length=10, choices=PartOfDay.choices, default=PartOfDay.MORNING
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cụm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conferences",
        help_text=_("Chỉ với hội nghị giao ban cụm."),
    )
    half = models.PositiveSmallIntegerField(
        _("sơ kết"), choices=Half.choices, null=True, blank=True
    )
    attending = models.ManyToManyField(
        Unit,
        verbose_name=_("đơn vị dự hội nghị"),
        related_name="attended_visits",
        blank=True,
    )
    chair_role = models.CharField(_("chủ trì"), max_length=300)
    topic = models.CharField(_("nội dung làm việc"), max_length=500)
    attendees = models.TextField(_("thành phần tham dự"), blank=True)
    plans = models.ManyToManyField(
        "plans.CommunePlan",
        verbose_name=_("kế hoạch được xem xét"),
        related_name="visits",
        blank=True,
    )
    ntm_assignments = models.ManyToManyField(
        "ntm.NtmAssignment",
        verbose_name=_("nhiệm vụ nông thôn mới được giao"),
        related_name="visits",
        blank=True,
        help_text=_("Với buổi giao nhiệm vụ nông thôn mới."),
    )
    notice_number = models.CharField(_("số thông báo kết luận"), max_length=60, blank=True)
    notice_place = models.CharField(_("địa danh"), max_length=100, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    issuer = models.CharField(
        _("cơ quan ban hành thông báo"), max_length=8, choices=Issuer.choices, default=Issuer.PARTY
    )
    signer_name = models.CharField(
        _("họ tên người ký"),
        max_length=100,
        blank=True,
        help_text=_("Để trống nếu chưa biết; thông báo in chỉ có chức vụ."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("buổi làm việc")
        verbose_name_plural = _("buổi làm việc")
        ordering = ["-date", "host__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=VisitKind.values),
                name="inspections_visit_kind_valid",
                violation_error_message=_("Loại buổi làm việc không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(part_of_day__in=PartOfDay.values),
                name="inspections_visit_part_of_day_valid",
                violation_error_message=_("Buổi không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(issuer__in=Issuer.values),
                name="inspections_visit_issuer_valid",
                violation_error_message=_("Cơ quan ban hành không hợp lệ."),
            ),
            # A cluster conference names its cluster and half-year; other visits name neither.
            models.CheckConstraint(
                condition=Q(
                    kind=VisitKind.CLUSTER_CONFERENCE, cluster__isnull=False, half__isnull=False
                )
                | (
                    ~Q(kind=VisitKind.CLUSTER_CONFERENCE)
                    & Q(cluster__isnull=True, half__isnull=True)
                ),
                name="inspections_visit_cluster_conference",
                violation_error_message=_(
                    "Hội nghị giao ban cụm phải chọn cụm và kỳ sơ kết; "
                    "các buổi làm việc khác không chọn cụm."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} – {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:visit-detail", args=[self.pk])

    @property
    def is_conference(self) -> bool:
        return self.kind == VisitKind.CLUSTER_CONFERENCE

    def clean(self) -> None:
        errors = {}
        if self.delegation_id is not None:
            if self.campaign_id is None:
                self.campaign_id = self.delegation.campaign_id
            elif self.delegation.campaign_id != self.campaign_id:
                errors["delegation"] = _("Đoàn công tác không thuộc đợt kiểm tra đã chọn.")
        if self.campaign_id is not None and self.date and self.campaign.year != self.date.year:
            errors["date"] = _("Ngày làm việc phải trong năm của đợt kiểm tra.")
        if self.cluster_id is not None and self.date and self.cluster.year != self.date.year:
            errors["cluster"] = _("Cụm được lập cho năm khác.")
        if errors:
            raise ValidationError(errors)


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Ưu điểm")
    SHORTCOMING = "shortcoming", _("Hạn chế")
    OBSTACLE = "obstacle", _("Khó khăn, vướng mắc")
    NEXT_TASK = "next_task", _("Nhiệm vụ thời gian tới")


class Finding(models.Model):
    """Ưu điểm / hạn chế / khó khăn noted at a visit, or for a whole campaign."""

    visit = models.ForeignKey(
        Visit,
        verbose_name=_("buổi làm việc"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("đợt kiểm tra"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="findings",
    )
    kind = models.CharField(_("loại"), max_length=12, choices=FindingKind.choices)
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("nội dung"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhận xét")
        verbose_name_plural = _("nhận xét")
        ordering = ["kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values),
                name="inspections_finding_kind_valid",
                violation_error_message=_("Loại nhận xét không hợp lệ."),
            ),
            # A finding belongs to one visit or, as a district-wide remark, to one campaign.
            models.CheckConstraint(
                condition=Q(visit__isnull=False, campaign__isnull=True)
                | Q(visit__isnull=True, campaign__isnull=False),
                name="inspections_finding_visit_or_campaign",
                violation_error_message=_(
                    "Nhận xét thuộc một buổi làm việc hoặc một đợt kiểm tra."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class DeadlineClass(models.TextChoices):
    """The four official classes of a directive against its deadline."""

    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    OPEN_IN_TIME = "open_in_time", _("Chưa hoàn thành trong hạn")
    OPEN_OVERDUE = "open_overdue", _("Chưa hoàn thành quá hạn")


def deadline_class(
    deadline: datetime.date, completed_on: datetime.date | None, today: datetime.date
) -> str:
    """Classify against the deadline, counted to the end of that day in Vietnam's time."""
    if completed_on is not None:
        return DeadlineClass.DONE_ON_TIME if completed_on <= deadline else DeadlineClass.DONE_LATE
    return DeadlineClass.OPEN_IN_TIME if today <= deadline else DeadlineClass.OPEN_OVERDUE


class DirectiveQuerySet(models.QuerySet["Directive"]):
    def visible_to(self, user) -> DirectiveQuerySet:
        from org.rules import visible_units

        return self.filter(unit__in=visible_units(user))

    def open(self) -> DirectiveQuerySet:
        return self.filter(completed_on__isnull=True)

    def overdue(self, today: datetime.date | None = None) -> DirectiveQuerySet:
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def unanswered(self) -> DirectiveQuerySet:
        """Open directives the unit has not yet reported on."""
        return self.open().filter(updates__isnull=True)

    def with_last_answer(self) -> DirectiveQuerySet:
        """Annotated with the unit's latest report on each: when (`last_answer_at`) and what it
        proposes (`last_proposed`)."""
        latest = DirectiveUpdate.objects.filter(directive=OuterRef("pk")).order_by("-at", "-pk")
        return self.annotate(
            last_answer_at=Subquery(latest.values("at")[:1]),
            last_proposed=Subquery(latest.values("proposed")[:1]),
        )

    def to_answer(self) -> DirectiveQuerySet:
        """Open directives awaiting the unit's report: never answered, or reopened since the
        last answer (a verification undone asks the unit again)."""
        return (
            self.open()
            .with_last_answer()
            .filter(
                Q(last_answer_at__isnull=True)
                | Q(reopened_at__isnull=False, last_answer_at__lte=F("reopened_at"))
            )
        )

    def awaiting_verification(self) -> DirectiveQuerySet:
        """Open directives whose unit's latest report, made since any reopening, proposes
        them as done."""
        return (
            self.open()
            .with_last_answer()
            .filter(last_proposed=ProposedStatus.DONE)
            .filter(Q(reopened_at__isnull=True) | Q(last_answer_at__gt=F("reopened_at")))
        )


class Directive(models.Model):
    """Ý kiến chỉ đạo: an order from a visit that the unit must carry out by a deadline.

    Completion is set when the delegation or office staff verify the unit's report; the
    deadline class is computed from it.
    """

    visit = models.ForeignKey(
        Visit, verbose_name=_("buổi làm việc"), on_delete=models.PROTECT, related_name="directives"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị thực hiện"),
        on_delete=models.PROTECT,
        related_name="directives",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("nội dung chỉ đạo"))
    field = models.ForeignKey(
        Field,
        verbose_name=_("lĩnh vực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lead = models.CharField(_("chủ trì"), max_length=300, help_text=_("Ví dụ: UBND xã."))
    cooperating = models.CharField(_("phối hợp"), max_length=500, blank=True)
    deadline = models.DateField(_("thời hạn"))
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("nội dung kế hoạch liên quan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directives",
    )
    finding = models.ForeignKey(
        Finding,
        verbose_name=_("từ hạn chế"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directives",
    )
    completed_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)
    # when a verification was last undone: the unit's reports before it no longer count
    reopened_at = models.DateTimeField(_("mở lại lúc"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DirectiveQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at"], history_change_reason_field=models.TextField(null=True)
    )

    class Meta:
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")
        ordering = ["deadline", "pk"]
        constraints = [
            # A directive is closed by someone who verified it.
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(verified_by__isnull=False),
                name="inspections_directive_completion_verified",
                violation_error_message=_("Ý kiến chỉ đạo hoàn thành phải có người xác nhận."),
            ),
        ]
        indexes = [
            # the overdue and due-soon lists read open directives by deadline
            models.Index(
                fields=["unit", "completed_on", "deadline"], name="inspections_dir_open_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("inspections:directive-detail", args=[self.pk])

    def deadline_class(self, today: datetime.date | None = None) -> str:
        return deadline_class(self.deadline, self.completed_on, today or timezone.localdate())

    def get_deadline_class_display(self) -> str:
        return DeadlineClass(self.deadline_class()).label


class ProposedStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đề nghị xác nhận hoàn thành")


class DirectiveUpdate(models.Model):
    """Báo cáo tiến độ: the unit's progress report on a directive."""

    directive = models.ForeignKey(
        Directive,
        verbose_name=_("ý kiến chỉ đạo"),
        on_delete=models.CASCADE,
        related_name="updates",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    text = models.TextField(_("nội dung"))
    evidence = models.TextField(_("minh chứng"), blank=True)
    proposed = models.CharField(
        _("đề nghị"),
        max_length=12,
        choices=ProposedStatus.choices,
        default=ProposedStatus.IN_PROGRESS,
    )

    class Meta:
        verbose_name = _("báo cáo thực hiện chỉ đạo")
        verbose_name_plural = _("báo cáo thực hiện chỉ đạo")
        ordering = ["directive_id", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed__in=ProposedStatus.values),
                name="inspections_directiveupdate_proposed_valid",
                violation_error_message=_("Đề nghị không hợp lệ."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Commitment(models.Model):
    """Cam kết: what the unit promised at a visit, with a due date."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("buổi làm việc"), on_delete=models.CASCADE, related_name="commitments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cam kết"), on_delete=models.PROTECT, related_name="commitments"
    )
    text = models.TextField(_("nội dung cam kết"))
    due = models.DateField(_("hạn"), null=True, blank=True)
    done = models.BooleanField(_("đã thực hiện"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")
        ordering = ["visit_id", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
