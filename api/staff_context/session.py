"""The chosen context as the web layer keeps it: in the staff member's server-side session."""

from __future__ import annotations

from dataclasses import replace

from api.services import Services
from api.staff_context.usecases import RememberSelection
from api.web.deps import Staff
from domain.staff import EmployeeAssignment


def remember_selection(services: Services, staff: Staff) -> RememberSelection:
    async def remember(assignment: EmployeeAssignment) -> None:
        session = replace(staff.session, selected_assignment_id=assignment.assignment_id)
        await services.sessions.update(staff.token, session)

    return remember
