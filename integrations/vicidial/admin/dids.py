"""The non-agent API's DID functions: add, copy and update inbound DIDs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypedDict, Unpack

from pydantic import BeforeValidator, Field, StringConstraints

from integrations.vicidial.admin.functions import Domain, add
from integrations.vicidial.admin.writes import (
    NO_UPDATES,
    Shape,
    UserDone,
    WriteResult,
    outcome_parser,
)
from integrations.vicidial.models import YN, Params, split_text

DidPattern = Annotated[str, StringConstraints(min_length=2, max_length=50)]
Description = Annotated[str, StringConstraints(min_length=6, max_length=50)]


class DidRoute(StrEnum):
    EXTEN = "EXTEN"
    VOICEMAIL = "VOICEMAIL"
    AGENT = "AGENT"
    PHONE = "PHONE"
    IN_GROUP = "IN_GROUP"
    CALLMENU = "CALLMENU"
    VMAIL_NO_INST = "VMAIL_NO_INST"


class RecordCall(StrEnum):
    Y = "Y"
    N = "N"
    Y_QUEUESTOP = "Y_QUEUESTOP"


class AgentSearchMethod(StrEnum):
    LOAD_BALANCED_OVERFLOW = "LO"
    LOAD_BALANCED = "LB"
    SERVER_ONLY = "SO"


class DidSettings(Params):
    """The DID settings add_did and update_did take; the IN_GROUP ones apply to that route."""

    did_description: Description | None = None
    active: YN | None = None
    did_route: DidRoute | None = None
    record_call: RecordCall | None = None
    extension: Annotated[str, StringConstraints(pattern=r"^\d{1,50}$")] | None = None
    exten_context: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    voicemail_ext: Annotated[str, StringConstraints(pattern=r"^\d{1,10}$")] | None = None
    phone_extension: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    server_ip: Annotated[str, StringConstraints(pattern=r"^[\d.]{1,15}$")] | None = None
    group: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    menu_id: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    filter_clean_cid_number: (
        Annotated[str, StringConstraints(min_length=1, max_length=20)] | None
    ) = None
    call_handle_method: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = None
    agent_search_method: AgentSearchMethod | None = None
    list_id: Annotated[str, StringConstraints(pattern=r"^\d{3,12}$")] | None = None
    entry_list_id: Annotated[str, StringConstraints(pattern=r"^\d{1,12}$")] | None = None
    campaign_id: Annotated[str, StringConstraints(max_length=8)] | None = None
    phone_code: Annotated[str, StringConstraints(pattern=r"^\d{1,10}$")] | None = None


class AddDidParams(DidSettings):
    did_pattern: DidPattern


class UpdateDidParams(DidSettings):
    did_pattern: DidPattern
    delete_did: YN | None = None


class CopyDidParams(Params):
    source_did_pattern: DidPattern
    new_dids: Annotated[list[DidPattern], BeforeValidator(split_text(",")), Field(min_length=1)]
    did_description: Description | None = None


class DidDone(UserDone):
    did_pattern: str | None = None
    did_id: int | None = None


class DidsCopied(UserDone):
    """copy_did's closing SUCCESS line: how many of the new DIDs were added."""

    source_did_pattern: str | None = None
    added: int | None = None


class DidCopied(UserDone):
    """One new DID copy_did added (a NOTICE per DID)."""

    did_pattern: str | None = None
    source_did_pattern: str | None = None
    did_id: int | None = None


class DidResult(WriteResult):
    user: str | None = None
    did_pattern: str | None = None
    did_id: int | None = None


class CopyDidResult(WriteResult):
    user: str | None = None
    source_did_pattern: str | None = None
    added: int | None = None

    @property
    def copied(self) -> tuple[DidCopied, ...]:
        return tuple(o for o in self.outcomes if isinstance(o, DidCopied))


ADD_DID = add(
    "add_did",
    "dids.add",
    "add an inbound DID",
    AddDidParams,
    DidResult,
    outcome_parser(
        DidResult, Shape(r"DID HAS BEEN ADDED", DidDone, ("user", "did_pattern")), main=DidDone
    ),
    reads=False,
)
UPDATE_DID = add(
    "update_did",
    "dids.update",
    "change or delete an inbound DID",
    UpdateDidParams,
    DidResult,
    outcome_parser(
        DidResult,
        Shape(r"DID HAS BEEN (UPDATED|DELETED)", DidDone, ("user", "did_pattern", "did_id")),
        NO_UPDATES,
        main=DidDone,
    ),
    reads=False,
)
COPY_DID = add(
    "copy_did",
    "dids.copy",
    "add DIDs copied from an existing one",
    CopyDidParams,
    CopyDidResult,
    outcome_parser(
        CopyDidResult,
        Shape(
            r"DID HAS BEEN ADDED",
            DidCopied,
            ("user", "did_pattern", "source_did_pattern", "did_id"),
        ),
        Shape(r"DID ALREADY EXISTS", DidDone, ("user", "did_pattern")),
        Shape(r"DIDS HAVE BEEN ADDED", DidsCopied, ("user", "source_did_pattern", "added")),
        main=DidsCopied,
    ),
    reads=False,
)


class DidOptions(TypedDict, total=False):
    did_description: str
    active: bool
    did_route: DidRoute
    record_call: RecordCall
    extension: str
    exten_context: str
    voicemail_ext: str
    phone_extension: str
    server_ip: str
    group: str
    menu_id: str
    filter_clean_cid_number: str
    call_handle_method: str
    agent_search_method: AgentSearchMethod
    list_id: str
    entry_list_id: str
    campaign_id: str
    phone_code: str


class Dids(Domain):
    """``admin.dids``: inbound DIDs."""

    async def add(self, did_pattern: str, **settings: Unpack[DidOptions]) -> DidResult:
        return await self._run(ADD_DID, did_pattern=did_pattern, **settings)

    async def update(
        self, did_pattern: str, *, delete: bool | None = None, **settings: Unpack[DidOptions]
    ) -> DidResult:
        return await self._run(UPDATE_DID, did_pattern=did_pattern, delete_did=delete, **settings)

    async def copy(
        self, source_did_pattern: str, new_dids: list[str], *, did_description: str | None = None
    ) -> CopyDidResult:
        return await self._run(
            COPY_DID,
            source_did_pattern=source_did_pattern,
            new_dids=new_dids,
            did_description=did_description,
        )
