"""The non-agent API's system functions that read: version, phone number check, sounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, InstanceOf, StringConstraints

from integrations.vicidial.admin.functions import Domain, add
from integrations.vicidial.admin.records import (
    CampaignId,
    Stage,
    field_names,
    layout,
    read_table,
)
from integrations.vicidial.admin.tables import TableResult, Text20, table_result
from integrations.vicidial.errors import ViciProtocolError
from integrations.vicidial.lines import LineKind, Reply
from integrations.vicidial.models import YN, Flag, Params, Result, build_result

# --- version --------------------------------------------------------------------------------


class NoParams(Params):
    """version takes nothing, not even credentials."""


class VersionInfo(Result):
    """The non-agent API's version line: seven fields, the dialer's clock and time zone."""

    version: str
    build: str
    date: datetime
    epoch: int
    dst: Flag
    tz: float
    tz_now: float


_VERSION_KEYS = {"tznow": "tz_now"}


def _version(reply: Reply, _params: NoParams) -> VersionInfo:
    line = reply.last
    if line.kind is not LineKind.VERSION:
        raise ViciProtocolError("expected a VERSION line", function="version", raw=reply.raw)
    values: dict[str, str] = {}
    for part in line.data:
        if part.strip():  # the line ends with a stray "|"
            key, sep, value = part.partition(": ")
            if not sep:
                raise ValueError(f"version field without a label: {part[:40]!r}")
            key = key.strip().lower()
            values[_VERSION_KEYS.get(key, key)] = value.strip()
    return build_result(VersionInfo, reply, line, message="", **values)


VERSION = add(
    "version",
    "system.version",
    "API version and build, the dialer's clock and time zone",
    NoParams,
    VersionInfo,
    _version,
    auth=False,
)


# --- check_phone_number ---------------------------------------------------------------------

YNArea = Literal["Y", "N", "AREACODE"]


class CheckPhoneNumberParams(Params):
    phone_number: Annotated[str, StringConstraints(pattern=r"^\d{6,16}$")]
    local_call_time: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    phone_code: Annotated[str, StringConstraints(pattern=r"^\d{1,4}$")] | None = None
    postal_code: Annotated[str, StringConstraints(pattern=r"^\d{5}$")] | None = None
    state: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")] | None = None
    owner: Annotated[str, StringConstraints(min_length=2, max_length=5)] | None = None
    dnc_check: YNArea | None = None
    campaign_dnc_check: YNArea | None = None
    campaign_id: Text20 | None = None
    usacan_prefix_check: YN | None = None
    usacan_areacode_check: YN | None = None
    nanpa_ac_prefix_check: YN | None = None
    tz_method: (
        Annotated[str, StringConstraints(pattern=r"^(POSTAL|TZCODE|NANPA|AREACODE)*$")] | None
    ) = None


class TzMethod(StrEnum):
    AREACODE = "AREACODE"
    POSTAL = "POSTAL"
    TZCODE = "TZCODE"
    NANPA = "NANPA"


class TzCheck(BaseModel):
    """One time-zone method's verdict: dialable now, and the GMT offset it found."""

    model_config = ConfigDict(frozen=True)

    dialable: bool
    gmt_offset: float


class PhoneCheck(Result):
    phone_number: str
    phone_code: str | None = None
    postal_code: str | None = None
    state: str | None = None
    owner: str | None = None
    methods: dict[TzMethod, TzCheck]

    @property
    def dialable(self) -> bool:
        """Dialable by every method that was used."""
        return all(check.dialable for check in self.methods.values())


def _check_phone_number(reply: Reply, _params: CheckPhoneNumberParams) -> PhoneCheck:
    # "AREACODE: 1|-6#POSTAL: 1|-7.0#PHONE: 3125551212|1|81009||GST|": each method's
    # "dialable|offset", then the phone as ViciDial read it.
    if len(reply.rows) != 1:
        raise ViciProtocolError("expected one result line", function="check_phone_number")
    methods: dict[str, TzCheck] = {}
    phone: list[str] = []
    for part in reply.rows[0].split("#"):
        label, sep, data = part.partition(": ")
        if not sep:
            raise ValueError(f"unlabelled part {part[:40]!r}")
        fields = data.split("|")
        if label.strip() == "PHONE":
            phone = fields
        else:
            methods[label.strip()] = TzCheck(dialable=fields[0] == "1", gmt_offset=float(fields[1]))
    if not phone:
        raise ValueError("no PHONE part")
    names = ("phone_number", "phone_code", "postal_code", "state", "owner")
    values = {name: phone[i] or None for i, name in enumerate(names) if i < len(phone)}
    return build_result(PhoneCheck, reply, None, methods=methods, **values)


CHECK_PHONE_NUMBER = add(
    "check_phone_number",
    "system.check_phone_number",
    "whether a phone number is valid and dialable now, by each time-zone method",
    CheckPhoneNumberParams,
    PhoneCheck,
    _check_phone_number,
)


# --- sounds_list (format=tab) ---------------------------------------------------------------


@dataclass(slots=True)
class Sound:
    index: int
    filename: str
    modified: datetime
    size: int
    modified_epoch: int


class SoundsListParams(Params):
    format: Literal["tab"] = "tab"
    # Here stage is the sort order, not the delimiter.
    stage: Literal["date", "size", "name"] | None = None


class SoundsResult(TableResult):
    records: tuple[InstanceOf[Sound], ...] = ()


def _sounds_list(reply: Reply, _params: SoundsListParams) -> SoundsResult:
    table = read_table(reply.rows, layout(Sound, field_names(Sound)), Stage.TAB)
    return table_result(SoundsResult, reply, table)


SOUNDS_LIST = add(
    "sounds_list",
    "system.sounds_list",
    "the audio store's files, sorted by date, size or name",
    SoundsListParams,
    SoundsResult,
    _sounds_list,
)


class System(Domain):
    """``admin.system``."""

    async def version(self) -> VersionInfo:
        return await self._run(VERSION)

    async def check_phone_number(
        self,
        phone_number: str,
        local_call_time: str,
        *,
        phone_code: str | None = None,
        postal_code: str | None = None,
        state: str | None = None,
        owner: str | None = None,
        dnc_check: YNArea | None = None,
        campaign_dnc_check: YNArea | None = None,
        campaign_id: CampaignId | str | None = None,
        usacan_prefix_check: bool | None = None,
        usacan_areacode_check: bool | None = None,
        nanpa_ac_prefix_check: bool | None = None,
        tz_method: str | None = None,
    ) -> PhoneCheck:
        return await self._run(
            CHECK_PHONE_NUMBER,
            phone_number=phone_number,
            local_call_time=local_call_time,
            phone_code=phone_code,
            postal_code=postal_code,
            state=state,
            owner=owner,
            dnc_check=dnc_check,
            campaign_dnc_check=campaign_dnc_check,
            campaign_id=campaign_id,
            usacan_prefix_check=usacan_prefix_check,
            usacan_areacode_check=usacan_areacode_check,
            nanpa_ac_prefix_check=nanpa_ac_prefix_check,
            tz_method=tz_method,
        )

    async def sounds_list(
        self, *, sort: Literal["date", "size", "name"] | None = None
    ) -> SoundsResult:
        return await self._run(SOUNDS_LIST, stage=sort)
