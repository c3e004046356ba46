"""The non-agent API's DNC functions: numbers on DNC lists and Filter Phone Groups."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from integrations.vicidial.admin.functions import Domain, add
from integrations.vicidial.admin.writes import Shape, UserDone, WriteResult, outcome_parser
from integrations.vicidial.models import Params
from integrations.vicidial.registry import FunctionSpec

PhoneNumber = Annotated[str, StringConstraints(pattern=r"^\d{6,20}$")]
ListId = Annotated[str, StringConstraints(min_length=2, max_length=30)]
SYSTEM_DNC = "SYSTEM_INTERNAL"


class DncParams(Params):
    phone_number: PhoneNumber
    # A campaign id, or SYSTEM_INTERNAL for the system-wide DNC list.
    campaign_id: ListId


class FpgParams(Params):
    phone_number: PhoneNumber
    group: ListId


class DncDone(UserDone):
    phone_number: str | None = None
    campaign_id: str | None = None


class FpgDone(UserDone):
    phone_number: str | None = None
    group: str | None = None


class DncResult(WriteResult):
    user: str | None = None
    phone_number: str | None = None
    campaign_id: str | None = None


class FpgResult(WriteResult):
    user: str | None = None
    phone_number: str | None = None
    group: str | None = None


def _dnc(name: str, method: str, summary: str, reason: str) -> FunctionSpec[DncParams, DncResult]:
    return add(
        name,
        method,
        summary,
        DncParams,
        DncResult,
        outcome_parser(
            DncResult,
            Shape(reason, DncDone, ("user", "phone_number", "campaign_id")),
            main=DncDone,
        ),
        reads=False,
    )


def _fpg(name: str, method: str, summary: str, reason: str) -> FunctionSpec[FpgParams, FpgResult]:
    return add(
        name,
        method,
        summary,
        FpgParams,
        FpgResult,
        outcome_parser(
            FpgResult, Shape(reason, FpgDone, ("user", "phone_number", "group")), main=FpgDone
        ),
        reads=False,
    )


ADD_DNC_PHONE = _dnc(
    "add_dnc_phone", "dnc.add_phone", "put a number on a DNC list", "DNC NUMBER HAS BEEN ADDED"
)
DELETE_DNC_PHONE = _dnc(
    "delete_dnc_phone",
    "dnc.delete_phone",
    "take a number off a DNC list",
    "DNC NUMBER HAS BEEN DELETED",
)
ADD_FPG_PHONE = _fpg(
    "add_fpg_phone",
    "dnc.add_fpg_phone",
    "put a number in a Filter Phone Group",
    "FILTER PHONE GROUP NUMBER HAS BEEN ADDED",
)
DELETE_FPG_PHONE = _fpg(
    "delete_fpg_phone",
    "dnc.delete_fpg_phone",
    "take a number out of a Filter Phone Group",
    "FILTER PHONE GROUP NUMBER HAS BEEN DELETED",
)


class Dnc(Domain):
    """``admin.dnc``: DNC lists (a campaign's, or SYSTEM_INTERNAL) and Filter Phone Groups."""

    async def add_phone(self, phone_number: str, campaign_id: str = SYSTEM_DNC) -> DncResult:
        return await self._run(ADD_DNC_PHONE, phone_number=phone_number, campaign_id=campaign_id)

    async def delete_phone(self, phone_number: str, campaign_id: str = SYSTEM_DNC) -> DncResult:
        return await self._run(DELETE_DNC_PHONE, phone_number=phone_number, campaign_id=campaign_id)

    async def add_fpg_phone(self, phone_number: str, group: str) -> FpgResult:
        return await self._run(ADD_FPG_PHONE, phone_number=phone_number, group=group)

    async def delete_fpg_phone(self, phone_number: str, group: str) -> FpgResult:
        return await self._run(DELETE_FPG_PHONE, phone_number=phone_number, group=group)
