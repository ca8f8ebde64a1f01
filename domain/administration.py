"""Rules for configuration (Administration, SPEC §5): who may change what, and what a valid
slot calendar is. Offer rules live in domain/offers.py, label-template (ZPL) rules in
domain/labels.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from domain.access import PATIENT_DATA_MODULES, AdminScope, Module, Role, StaffContext, admin_scope
from domain.errors import Conflict, InvalidInput, NotFound, NotPermitted
from domain.regions import REGIONS
from domain.staff import StaffIdentity, is_valid_hsa_id

# Calendar days (bookable times, an offer's last day) are Swedish days.
ZONE = ZoneInfo("Europe/Stockholm")

# --- scope --------------------------------------------------------------------------------


class OutsideAdministrationScope(NotPermitted):
    pass


class NoAdministrationPermission(NotPermitted):
    """The staff member holds no administrator permission at all."""


class ConfigurationNotFound(NotFound):
    """No such configuration item, or not one within the administrator's scope."""


def require_region(ctx: StaffContext, region_code: str) -> AdminScope:
    """Creating or retiring things of a region: regional administrators of that region,
    operators and central administrators."""
    scope = admin_scope(ctx)
    if not (scope.national or region_code in scope.region_codes):
        raise OutsideAdministrationScope(f"you do not administer region {region_code}")
    return scope


def require_care_unit(ctx: StaffContext, *, region_code: str, care_unit_hsa_id: str) -> None:
    """Changing a care unit: its unit administrators too."""
    if not admin_scope(ctx).covers(region_code=region_code, care_unit_hsa_id=care_unit_hsa_id):
        raise OutsideAdministrationScope(f"you do not administer {care_unit_hsa_id}")


def require_central(ctx: StaffContext) -> None:
    if not ctx.holds(Role.CENTRAL_ADMIN.value):
        raise OutsideAdministrationScope("only a central administrator may do this")


# Permissions that open patients' data: managed by the region, never by a unit's administrator
# (SPEC §1: the regional administrator manages permissions in the region).
PATIENT_DATA_PERMISSIONS: frozenset[str] = frozenset(
    {m.value for m in PATIENT_DATA_MODULES} | {Module.EXPORT.value}
)


class OwnPermissionChange(OutsideAdministrationScope):
    """Nobody grants or revokes a permission of their own."""


class LastCentralAdministrator(Conflict):
    """The service must keep at least one central administrator."""


def require_grant_right(
    ctx: StaffContext,
    *,
    permission: str,
    region_code: str | None,
    care_unit_hsa_id: str | None,
    staff_hsa_id: str,
) -> None:
    """Who may grant (or revoke) a permission of `staff_hsa_id`: never the staff member
    themself; national and regional roles only central administrators; permissions to
    patient-data modules (and export) the regional administrators of the unit's region,
    operators and central administrators; the unit administrator role anyone who administers
    the unit."""
    if staff_hsa_id.upper() == ctx.hsa_id.upper():
        raise OwnPermissionChange("nobody grants or revokes a permission of their own")
    if permission in (Role.CENTRAL_ADMIN, Role.OPERATOR, Role.REGION_ADMIN):
        require_central(ctx)
        return
    if care_unit_hsa_id is None or region_code is None:
        raise InvalidConfiguration("care_unit_hsa_id", "this permission is given per care unit")
    if permission in PATIENT_DATA_PERMISSIONS:
        scope = admin_scope(ctx)
        if not (scope.national or region_code in scope.region_codes):
            raise OutsideAdministrationScope(
                f"permissions to patient data at {care_unit_hsa_id} are managed by the"
                f" regional administrators of region {region_code}"
            )
        return
    require_care_unit(ctx, region_code=region_code, care_unit_hsa_id=care_unit_hsa_id)


def require_grantee(staff: StaffIdentity | None, *, care_unit_hsa_id: str | None) -> None:
    """The staff member a permission is granted to exists in the HSA directory and, for a
    permission at a care unit, holds an employee assignment there."""
    if staff is None:
        raise InvalidConfiguration(
            "staff_hsa_id", "the HSA directory has no such staff member", code="unknown_hsa_id"
        )
    if care_unit_hsa_id is not None and staff.assignment_at(care_unit_hsa_id) is None:
        raise InvalidConfiguration(
            "staff_hsa_id",
            f"the staff member has no employee assignment at {care_unit_hsa_id}",
            code="no_assignment_at_unit",
        )


def require_another_central_admin(*, others: int) -> None:
    """Revoking a central administrator's permission leaves `others` central administrators:
    at least one must remain."""
    if others < 1:
        raise LastCentralAdministrator("the last central administrator cannot be removed")


class InvalidConfiguration(InvalidInput):
    """A configuration value breaks a rule; `field` names the input."""


class StillInUse(Conflict):
    pass


class SamplingUnitHsaIdTaken(InvalidConfiguration):
    def __init__(self) -> None:
        super().__init__("hsa_id", "a sampling unit with this HSA-id exists already", code="taken")


class AlreadyRetired(Conflict):
    """Retired configuration is kept for what refers to it, but no longer changed."""


def require_active(retired_at: object | None, what: str) -> None:
    if retired_at is not None:
        raise AlreadyRetired(f"the {what} is retired and can no longer be changed")


def require_known_region(code: str) -> None:
    if code not in REGIONS:
        raise InvalidConfiguration("region_code", "not one of Sweden's 21 regions")


def require_hsa_id(field: str, value: str) -> None:
    if not is_valid_hsa_id(value):
        raise InvalidConfiguration(field, "not an HSA-id (e.g. SE2321000016-ABC1)")


# --- slot calendars -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SlotRule:
    """Bookable times: on the given weekdays (0 = Monday) between start and end, every
    `minutes`, each for `capacity` people, from first_day to last_day inclusive, except on
    closed days."""

    first_day: date
    last_day: date
    weekdays: frozenset[int]
    start: time
    end: time
    minutes: int
    capacity: int
    closed_days: frozenset[date] = frozenset()


MAX_RULE_DAYS = 366
# Bookable times are planned, closed and looked up at most this many years from today: a day
# further out is a typing error, and at the calendar's edge (9999-12-31) the next day does not
# even exist.
CALENDAR_YEARS = 5


def require_within_calendar(field: str, day: date, *, today: date) -> None:
    horizon = timedelta(days=CALENDAR_YEARS * 366)
    if not today - horizon <= day <= today + horizon:
        raise InvalidConfiguration(
            field, f"must be within {CALENDAR_YEARS} years of today", code="outside_calendar"
        )


def require_plannable(rule: SlotRule, *, today: date) -> None:
    """A rule adds times from today on, within the calendar."""
    if rule.first_day < today:
        raise InvalidConfiguration("first_day", "must not be in the past")
    require_within_calendar("first_day", rule.first_day, today=today)
    require_within_calendar("last_day", rule.last_day, today=today)


def expand_slots(rule: SlotRule, *, zone: tzinfo) -> list[tuple[datetime, datetime]]:
    if rule.last_day < rule.first_day:
        raise InvalidConfiguration("last_day", "must not be before first_day")
    if (rule.last_day - rule.first_day).days >= MAX_RULE_DAYS:
        raise InvalidConfiguration("last_day", f"at most {MAX_RULE_DAYS} days at a time")
    if not rule.weekdays or not rule.weekdays <= set(range(7)):
        raise InvalidConfiguration("weekdays", "choose weekdays 0 (Monday) to 6 (Sunday)")
    if rule.end <= rule.start:
        raise InvalidConfiguration("end", "must be after start")
    if not 5 <= rule.minutes <= 240:
        raise InvalidConfiguration("minutes", "between 5 and 240 minutes")
    if not 1 <= rule.capacity <= 100:
        raise InvalidConfiguration("capacity", "between 1 and 100")
    slots: list[tuple[datetime, datetime]] = []
    day = rule.first_day
    step = timedelta(minutes=rule.minutes)
    while day <= rule.last_day:
        if day.weekday() in rule.weekdays and day not in rule.closed_days:
            start = datetime.combine(day, rule.start, tzinfo=zone)
            closing = datetime.combine(day, rule.end, tzinfo=zone)
            while start + step <= closing:
                slots.append((start, start + step))
                start += step
        day += timedelta(days=1)
    return slots


class OverlappingSlots(InvalidConfiguration):
    pass


def refuse_overlaps(
    new: Sequence[tuple[datetime, datetime]], existing: Iterable[tuple[datetime, datetime]]
) -> None:
    """New slots may not overlap slots the sampling unit already has (a person would be
    booked twice over)."""
    ordered = sorted(existing)
    for start, end in new:
        for other_start, other_end in ordered:
            if other_start >= end:
                break
            if start < other_end and other_start < end:
                raise OverlappingSlots(
                    "start",
                    f"overlaps existing times from {other_start.isoformat()}"
                    f" to {other_end.isoformat()}",
                    code="overlap",
                )
