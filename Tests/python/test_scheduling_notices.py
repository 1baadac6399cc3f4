"""The center's messaging system, from the outside: an independent client (proto/ and the
docs only) plays the intake by delivering RosterChanged and MonthClosed events to the
scheduling service, publishes a one-session plan, and then does what a messaging system
does with notices: list the pending ones, send them, acknowledge them, and see them gone.
Settings come from the JSON configuration file's policies.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from harness import await_ready, start_service, stop_service
from training_client import M

SCHEDULING = "/training.v1.TrainingScheduling/"
INBOX = "/training.v1.EventInbox/Deliver"


@pytest.fixture
def scheduling():
    d = Path(tempfile.mkdtemp(prefix="t.", dir="/tmp"))
    config = d / "scheduling.json"
    config.write_text(json.dumps({"policies": {"time_zone": "Asia/Shanghai", "max_team_share_off_floor": 1}}))
    svc = start_service("training-scheduling", d,
                        extra_args=["--clock-start", "2026-11-10T10:00:00+08:00", "--config", str(config)])
    try:
        await_ready(svc)
        with svc.connect() as conn:
            yield conn
    finally:
        problems = stop_service(svc)
        shutil.rmtree(d, ignore_errors=True)
        assert not problems, problems


def envelope(sequence: int, message, subject: str):
    return M.EventEnvelope(
        event_id=f"training.v1.ScoringIntake/{sequence}", type=message.DESCRIPTOR.full_name,
        producer="training.v1.ScoringIntake", subject=subject, sequence=sequence,
        occurred_at_unix_ms=1_794_000_000_000, payload=message.SerializeToString())


def test_a_messaging_system_lists_and_acknowledges_notices(scheduling):
    conn = scheduling
    enum = M.enum_value
    conn.call(SCHEDULING + "PutCourses", M.PutCoursesRequest(courses=[M.CatalogueCourse(
        course_id="C-CARD", title="The new credit card", kind=enum("CourseKind", "COURSE_KIND_NEW_BUSINESS"),
        category=enum("CourseCategory", "COURSE_CATEGORY_MANDATORY"), method=enum("CourseMethod", "COURSE_METHOD_CLASSROOM"),
        duration_minutes=120, purpose="Customers ask about it from day one.", topics=["fees", "rewards"],
        preparation="Read the product sheet.")]), M.BatchResponse)
    conn.call(SCHEDULING + "ApproveCourseware", M.ApproveCoursewareRequest(course_id="C-CARD", version="v1", approved_by="Dept. manager"),
              M.ApproveCoursewareResponse)
    conn.call(SCHEDULING + "PutTrainers", M.PutTrainersRequest(trainers=[M.Trainer(
        trainer_id="T1", name="Li Na", biography="Eight years on the phones.", qualified_course_ids=["C-CARD"],
        availability=[M.LocalTimeRange(start="2026-12-01T08:00", end="2026-12-05T18:00")])]), M.BatchResponse)
    conn.call(SCHEDULING + "PutRooms", M.PutRoomsRequest(rooms=[M.Room(room_id="R1", site="Chengdu", capacity=12,
                                                                    directions="3rd floor, east lifts")]), M.BatchResponse)
    shifts = conn.call(SCHEDULING + "PutShifts", M.PutShiftsRequest(month="2026-12", agents=[
        M.AgentShifts(agent_id=a, shifts=[M.LocalTimeRange(start="2026-12-03T09:00", end="2026-12-03T18:00")]) for a in ("a1", "a2")
    ]), M.BatchResponse)
    assert shifts.accepted == 2
    conn.call(SCHEDULING + "DraftSessions", M.DraftSessionsRequest(month="2026-12", sessions=[M.PlannedSession(
        session_id="S1", course_id="C-CARD", trainer_id="T1", room_id="R1", start="2026-12-03T10:00", end="2026-12-03T12:00",
        capacity=10)]), M.DraftSessionsResponse)
    conn.call(SCHEDULING + "PublishMonthlyPlan", M.PublishMonthlyPlanRequest(month="2026-12"), M.PublishMonthlyPlanResponse)

    # The intake's events: two agents of team t1, then November closed. The close confirms
    # December's enrolment by itself (its plan is published).
    roster = [M.RosterChanged(entry=M.RosterEntry(
        agent_id=a, name=a, team_id="t1", team_leader_id="L1", department="Cards", site="Chengdu", hire_date="2025-01-01",
        status=enum("AgentStatus", "IN_SERVICE"), effective_date="2026-01-01")) for a in ("a1", "a2")]
    closed = M.MonthClosed(month="2026-11", applies_to_month="2026-12", revision=1, policy_version=1, assignments=[
        M.TierAssignment(agent_id="a1", team_id="t1", team_leader_id="L1", department="Cards", site="Chengdu",
                         tier=enum("Tier", "COACHING"), average=82.0, count=6),
        M.TierAssignment(agent_id="a2", team_id="t1", team_leader_id="L1", department="Cards", site="Chengdu",
                         tier=enum("Tier", "ADVANCED"), average=97.0, count=6),
    ])
    events = [envelope(1, roster[0], "a1"), envelope(2, roster[1], "a2"), envelope(3, closed, "month:2026-11")]
    acks = conn.call(INBOX, M.DeliverEventsRequest(events=events), M.DeliverEventsResponse).acks
    assert [M.enum_name("EventDisposition", a.disposition) for a in acks] == ["EVENT_APPLIED"] * 3

    enrolment = conn.call(SCHEDULING + "GetEnrolment", M.GetEnrolmentRequest(month="2026-12"), M.GetEnrolmentResponse)
    assert M.enum_name("EnrolmentBasis", enrolment.summary.basis) == "ENROLMENT_BASIS_CONFIRMED"
    assert (enrolment.summary.bound, enrolment.summary.placed_bound) == (2, 2)

    # What a messaging system does: list, send, acknowledge; the reminders come later.
    pending = conn.call(SCHEDULING + "ListPendingNotices", M.ListPendingNoticesRequest(limit=100), M.NoticeList).notices
    kinds = sorted((M.enum_name("NoticeKind", n.kind), n.recipient_id) for n in pending)
    assert kinds == [("NOTICE_PLACEMENT", "a1"), ("NOTICE_PLACEMENT", "a2"),
                     ("NOTICE_TEAM_LEADER_BRIEF", "L1"), ("NOTICE_TEAM_LEADER_BRIEF", "L1")]
    memo = next(n for n in pending if n.recipient_id == "a1")
    assert (memo.course_title, memo.start, memo.site, memo.directions, memo.trainer_name) == (
        "The new credit card", "2026-12-03T10:00", "Chengdu", "3rd floor, east lifts", "Li Na")
    assert memo.tier_reason == "" and "coaching" not in memo.SerializeToString().decode("utf-8", "replace").lower()
    brief = next(n for n in pending if n.recipient_id == "L1" and n.agent_id == "a1")
    assert brief.tier_reason.startswith("coaching tier for 2026-12")

    ids = [n.notice_id for n in pending]
    acked = conn.call(SCHEDULING + "AcknowledgeNotices", M.AcknowledgeNoticesRequest(notice_ids=ids), M.BatchResponse)
    assert acked.accepted == 4
    assert conn.call(SCHEDULING + "ListPendingNotices", M.ListPendingNoticesRequest(), M.NoticeList).notices == []
    again = conn.call(SCHEDULING + "AcknowledgeNotices", M.AcknowledgeNoticesRequest(notice_ids=ids[:1] + ["n-999"]), M.BatchResponse)
    assert [M.enum_name("RecordOutcome", r.outcome) for r in again.results] == ["DUPLICATE", "REJECTED"]
    # Every notice of the month is still there, acknowledged, with its goal-talk reminders.
    everything = conn.call(SCHEDULING + "ListNotices", M.ListNoticesRequest(month="2026-12"), M.NoticeList).notices
    assert len(everything) == 6 and all(n.acknowledged_at_unix_ms > 0 for n in everything if n.notice_id in ids)
