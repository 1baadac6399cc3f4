"""The scoring intake end to end, from the outside: an independent client (proto/ and
the docs only) imports a calendar, a scorecard and a roster, submits, corrects and
voids evaluations, closes the month, and checks every tier against what it computes
itself from the rules of DOMAIN.md (>= 95 advanced, >= 86 standard, < 86 coaching,
fewer than 4 evaluations: insufficient data; averages rounded half-up to 1 decimal).
"""
from __future__ import annotations

import random
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from harness import await_ready, start_service, stop_service
from training_client import M

SHANGHAI = timezone(timedelta(hours=8))
INTAKE = "/training.v1.ScoringIntake/"
CRITERIA = ["standard_phrasing", "business_accuracy", "compliance", "service_warmth", "resolution", "timeliness"]


def ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def expected_tier(totals: list[float]) -> tuple[str, float]:
    if len(totals) < 4:
        return "INSUFFICIENT_DATA", round(sum(totals) / len(totals), 1) if totals else 0.0
    mean = Decimal(repr(sum(totals) / len(totals)))
    rounded = float(mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if rounded >= 95:
        return "ADVANCED", rounded
    if rounded < 86:
        return "COACHING", rounded
    return "STANDARD", rounded


@pytest.fixture
def intake():
    d = Path(tempfile.mkdtemp(prefix="t.", dir="/tmp"))
    svc = start_service("scoring-intake", d, extra_args=["--clock-start", "2026-11-10T10:00:00+08:00"])
    try:
        await_ready(svc)
        with svc.connect() as conn:
            yield conn
    finally:
        problems = stop_service(svc)
        shutil.rmtree(d, ignore_errors=True)
        assert not problems, problems


def evaluation(eval_id: str, agent: str, when: datetime, items: list[float], revision: int = 1):
    # Six criteria out of 16 with weight 100/96: the total is the weighted sum of the items.
    total = round(sum(items) * 100 / 96, 6)
    return M.Evaluation(
        evaluation_id=eval_id, revision=revision, agent_id=agent, call_id=f"call-{eval_id}", evaluator_id="qa-1",
        call_started_at_unix_ms=ms(when), scored_at_unix_ms=ms(when + timedelta(hours=2)),
        scorecard_id="voice", scorecard_version=1, total_score=total,
        items=[M.ItemScore(criterion_id=c, name=c, score=s, max_score=16, critical=(c == "compliance"))
               for c, s in zip(CRITERIA, items)],
        channel=M.enum_value("ContactChannel", "VOICE"))


def test_tiers_match_an_independent_computation(intake):
    conn = intake
    rng = random.Random(18_0_2026)

    conn.call(INTAKE + "PutCalendar", M.PutCalendarRequest(time_zone="Asia/Shanghai", year=2026, days=[
        M.CalendarDay(date=f"2026-10-0{d}", kind=M.enum_value("DayKind", "HOLIDAY"), name="National Day") for d in range(1, 8)
    ]), M.PutCalendarResponse)
    conn.call(INTAKE + "PutScorecard", M.PutScorecardRequest(scorecard=M.Scorecard(
        scorecard_id="voice", version=1, name="Voice", total_is_weighted_sum=True,
        criteria=[M.Criterion(criterion_id=c, name=c, max_score=16, weight=100 / 96, critical=(c == "compliance"))
                  for c in CRITERIA])), M.PutScorecardResponse)

    agents = [f"agent-{i:03d}" for i in range(60)]
    roster = [M.RosterEntry(agent_id=a, name=f"Agent {a}", team_id=f"team-{i // 12}", team_leader_id=f"lead-{i // 12}",
                            department="Retail", site="Chengdu", hire_date="2025-01-01",
                            status=M.enum_value("AgentStatus", "IN_SERVICE"), effective_date="2026-01-01")
              for i, a in enumerate(agents)]
    roster.append(M.RosterEntry(agent_id="new-hire", name="New Hire", team_id="team-0", team_leader_id="lead-0",
                                department="Retail", site="Chengdu", hire_date="2026-10-15",
                                status=M.enum_value("AgentStatus", "ONBOARDING"), effective_date="2026-10-15"))
    result = conn.call(INTAKE + "UpsertRoster", M.UpsertRosterRequest(agents=roster), M.BatchResponse)
    assert result.accepted == len(roster)

    # Evaluations in October, local time; each agent has its own level and 0-9 calls.
    submitted: dict[str, M.Evaluation] = {}
    for i, agent in enumerate(agents):
        level = rng.choice([15.8, 15.3, 14.6, 13.9, 13.2, 12.5])
        for n in range(rng.randint(0, 9)):
            items = [max(0, min(16, round(level + rng.uniform(-1.5, 1.5), 1))) for _ in CRITERIA]
            when = datetime(2026, 10, 8 + n * 2, 9 + n, 30, tzinfo=SHANGHAI)
            e = evaluation(f"{agent}-{n}", agent, when, items)
            submitted[e.evaluation_id] = e
    ids = sorted(submitted)
    for start in range(0, len(ids), 100):
        batch = M.SubmitEvaluationsRequest(evaluations=[submitted[i] for i in ids[start:start + 100]])
        result = conn.call(INTAKE + "SubmitEvaluations", batch, M.BatchResponse, caller="qa-export")
        assert result.rejected == 0, [r for r in result.results if r.violations]

    # A call at 23:30 local time on October 31 is October's, whatever UTC says.
    late = evaluation("late-night", agents[0], datetime(2026, 10, 31, 23, 30, tzinfo=SHANGHAI), [16] * 6)
    conn.call(INTAKE + "SubmitEvaluations", M.SubmitEvaluationsRequest(evaluations=[late]), M.BatchResponse)
    submitted[late.evaluation_id] = late

    # Corrections (a higher revision replaces) and voids (stop counting).
    corrected = rng.sample(ids, 15)
    for eval_id in corrected:
        old = submitted[eval_id]
        new = evaluation(eval_id, old.agent_id, datetime.fromtimestamp(old.call_started_at_unix_ms / 1000, SHANGHAI),
                         [rng.choice([8.0, 12.0, 16.0]) for _ in CRITERIA], revision=2)
        result = conn.call(INTAKE + "SubmitEvaluations", M.SubmitEvaluationsRequest(evaluations=[new]), M.BatchResponse)
        assert M.enum_name("RecordOutcome", result.results[0].outcome) == "REPLACED"
        submitted[eval_id] = new
    voided = set(rng.sample(sorted(set(ids) - set(corrected)), 10))
    for eval_id in voided:
        conn.call(INTAKE + "VoidEvaluation", M.VoidEvaluationRequest(
            evaluation_id=eval_id, reason=M.enum_value("VoidReason", "CALIBRATION")), M.VoidEvaluationResponse)

    # An evaluation resent unchanged is a duplicate and counts once.
    again = conn.call(INTAKE + "SubmitEvaluations", M.SubmitEvaluationsRequest(
        evaluations=[submitted[i] for i in ids[:20] if i not in corrected]), M.BatchResponse)
    assert again.accepted == 0 and again.replaced == 0

    closed = conn.call(INTAKE + "CloseMonth", M.CloseMonthRequest(month="2026-10"), M.CloseMonthResponse)
    assert (closed.month, closed.applies_to_month, closed.revision) == ("2026-10", "2026-11", 1)
    listed = conn.call(INTAKE + "ListTierAssignments", M.ListTierAssignmentsRequest(month="2026-10"),
                       M.ListTierAssignmentsResponse)
    got = {a.agent_id: a for a in listed.assignments}
    assert "new-hire" not in got, "an agent in onboarding is not tiered"
    assert sorted(got) == agents

    totals: dict[str, list[float]] = {a: [] for a in agents}
    for eval_id, e in submitted.items():
        if eval_id not in voided:
            totals[e.agent_id].append(e.total_score)
    for agent in agents:
        tier, average = expected_tier(totals[agent])
        assignment = got[agent]
        assert M.enum_name("Tier", assignment.tier) == tier, (agent, totals[agent], assignment)
        assert assignment.count == len(totals[agent])
        if tier != "INSUFFICIENT_DATA":
            assert assignment.average == pytest.approx(average), (agent, totals[agent])
        # Coaching-tier agents get the team leader's problem summary due before the 5th:
        # 2026-11-04 is a Wednesday and a working day.
        assert assignment.problem_summary_due == ("2026-11-04" if tier == "COACHING" else "")
    counts = {M.enum_name("Tier", c.tier): c.agents for c in closed.counts}
    assert sum(counts.values()) == len(agents)
    assert all(counts[t] > 0 for t in ("ADVANCED", "STANDARD", "COACHING", "INSUFFICIENT_DATA")), counts
