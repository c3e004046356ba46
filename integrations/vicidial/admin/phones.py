"""The non-agent API's phone functions: add and update phones and phone aliases."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, TypedDict, Unpack

from pydantic import BeforeValidator, StringConstraints

from integrations.vicidial.admin.functions import Domain, add
from integrations.vicidial.admin.writes import (
    NO_UPDATES,
    Blank100,
    Done,
    Shape,
    UserDone,
    WriteResult,
    outcome_parser,
)
from integrations.vicidial.models import YN, Params, SecretText, split_text

Text = Annotated[str, StringConstraints(min_length=1, max_length=20)]
Extension = Annotated[str, StringConstraints(min_length=2, max_length=100)]
ServerIp = Annotated[str, StringConstraints(pattern=r"^\d{1,3}(\.\d{1,3}){3}$")]
# local_gmt is an hour offset without DST; the server refuses offsets it does not know (-5.25).
GmtOffset = Annotated[str, StringConstraints(pattern=r"^[+-]?\d{1,2}(\.\d{1,2})?$")]
PhoneLogins = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=20)]],
    BeforeValidator(split_text(",")),
]


class Protocol(StrEnum):
    IAX2 = "IAX2"
    SIP = "SIP"
    ZAP = "Zap"
    EXTERNAL = "EXTERNAL"


class Webphone(StrEnum):
    Y = "Y"
    N = "N"
    Y_API_LAUNCH = "Y_API_LAUNCH"


class PhoneSettings(Params):
    """Phone settings both add_phone and update_phone take."""

    dialplan_number: Annotated[str, StringConstraints(pattern=r"^\d{1,20}$")] | None = None
    voicemail_id: Annotated[str, StringConstraints(pattern=r"^\d{1,10}$")] | None = None
    phone_login: Text | None = None
    phone_pass: SecretText | None = None
    protocol: Protocol | None = None
    registration_password: SecretText | None = None
    phone_full_name: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    local_gmt: GmtOffset | None = None
    outbound_cid: Annotated[str, StringConstraints(pattern=r"^\d{1,20}$")] | None = None
    phone_context: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    email: Blank100 | None = None
    admin_user_group: Annotated[str, StringConstraints(min_length=1, max_length=20)] | None = None
    is_webphone: Webphone | None = None
    webphone_auto_answer: YN | None = None
    use_external_server_ip: YN | None = None
    template_id: Annotated[str, StringConstraints(min_length=1, max_length=15)] | None = None
    on_hook_agent: YN | None = None


class AddPhoneParams(PhoneSettings):
    extension: Extension
    server_ip: ServerIp
    # Required when adding (ViciDial refuses the call without them).
    dialplan_number: Annotated[str, StringConstraints(pattern=r"^\d{1,20}$")]
    voicemail_id: Annotated[str, StringConstraints(pattern=r"^\d{1,10}$")]
    phone_login: Text
    phone_pass: SecretText
    protocol: Protocol
    registration_password: SecretText
    phone_full_name: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    local_gmt: GmtOffset
    outbound_cid: Annotated[str, StringConstraints(pattern=r"^\d{1,20}$")]


class UpdatePhoneParams(PhoneSettings):
    extension: Extension
    server_ip: ServerIp
    delete_phone: YN | None = None
    outbound_cid: Annotated[str, StringConstraints(pattern=r"^\d{6,18}$")] | None = None
    outbound_alt_cid: (
        Annotated[str, StringConstraints(pattern=r"^(--BLANK--|\d{6,18})$")] | None
    ) = None
    phone_ring_timeout: Annotated[str, StringConstraints(pattern=r"^\d{1,3}$")] | None = None
    delete_vm_after_email: YN | None = None


class PhoneDone(UserDone):
    extension: str | None = None
    server_ip: str | None = None
    protocol: Protocol | None = None
    dialplan_number: str | None = None


class PhoneResult(WriteResult):
    user: str | None = None
    extension: str | None = None
    server_ip: str | None = None
    protocol: Protocol | None = None
    dialplan_number: str | None = None


_PHONE = ("user", "extension", "server_ip", "protocol", "dialplan_number")

ADD_PHONE = add(
    "add_phone",
    "phones.add",
    "add a phone",
    AddPhoneParams,
    PhoneResult,
    outcome_parser(PhoneResult, Shape(r"PHONE HAS BEEN ADDED", PhoneDone, _PHONE), main=PhoneDone),
    reads=False,
)
UPDATE_PHONE = add(
    "update_phone",
    "phones.update",
    "change or delete a phone",
    UpdatePhoneParams,
    PhoneResult,
    outcome_parser(
        PhoneResult,
        Shape(r"PHONE HAS BEEN (UPDATED|DELETED)", PhoneDone, _PHONE),
        NO_UPDATES,
        main=PhoneDone,
    ),
    reads=False,
)


class AddPhoneAliasParams(Params):
    alias_id: Annotated[str, StringConstraints(min_length=2, max_length=20)]
    alias_name: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    phone_logins: PhoneLogins


class UpdatePhoneAliasParams(Params):
    alias_id: Annotated[str, StringConstraints(min_length=2, max_length=20)]
    # Documented as required, but a delete is accepted without them (fixture update_phone_alias
    # delete_alias), so they are optional here.
    alias_name: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    phone_logins: PhoneLogins | None = None
    delete_alias: YN | None = None


class AliasDone(UserDone):
    alias_id: str | None = None
    alias_name: str | None = None
    phone_logins: Annotated[tuple[str, ...], BeforeValidator(split_text(","))] = ()


class AliasResult(WriteResult):
    user: str | None = None
    alias_id: str | None = None
    alias_name: str | None = None
    phone_logins: tuple[str, ...] = ()


_ALIAS = ("user", "alias_id", "alias_name", "phone_logins")


def _no_logins(values: dict[str, Any]) -> dict[str, Any]:
    # positional() gives None for an absent field; the tuple field wants "nothing".
    if values.get("phone_logins") is None:
        values.pop("phone_logins", None)
    return values


ADD_PHONE_ALIAS = add(
    "add_phone_alias",
    "phones.add_alias",
    "add a phone alias (one login for several phones)",
    AddPhoneAliasParams,
    AliasResult,
    outcome_parser(
        AliasResult,
        Shape(r"PHONE ALIAS HAS BEEN ADDED", AliasDone, _ALIAS, fix=_no_logins),
        main=AliasDone,
    ),
    reads=False,
)
UPDATE_PHONE_ALIAS = add(
    "update_phone_alias",
    "phones.update_alias",
    "change or delete a phone alias",
    UpdatePhoneAliasParams,
    AliasResult,
    outcome_parser(
        AliasResult,
        Shape(r"PHONE ALIAS HAS BEEN (UPDATED|DELETED)", AliasDone, _ALIAS, fix=_no_logins),
        NO_UPDATES,
        main=AliasDone,
    ),
    reads=False,
)


class PhoneOptions(TypedDict, total=False):
    dialplan_number: str
    voicemail_id: str
    phone_login: str
    phone_pass: str
    protocol: Protocol
    registration_password: str
    phone_full_name: str
    local_gmt: str
    outbound_cid: str
    phone_context: str
    email: str
    admin_user_group: str
    is_webphone: Webphone
    webphone_auto_answer: bool
    use_external_server_ip: bool
    template_id: str
    on_hook_agent: bool
    outbound_alt_cid: str
    phone_ring_timeout: str
    delete_vm_after_email: bool


class Phones(Domain):
    """``admin.phones``: phones and phone aliases."""

    async def add(
        self, extension: str, server_ip: str, **settings: Unpack[PhoneOptions]
    ) -> PhoneResult:
        return await self._run(ADD_PHONE, extension=extension, server_ip=server_ip, **settings)

    async def update(
        self,
        extension: str,
        server_ip: str,
        *,
        delete: bool | None = None,
        **settings: Unpack[PhoneOptions],
    ) -> PhoneResult:
        return await self._run(
            UPDATE_PHONE, extension=extension, server_ip=server_ip, delete_phone=delete, **settings
        )

    async def add_alias(
        self, alias_id: str, alias_name: str, phone_logins: list[str]
    ) -> AliasResult:
        return await self._run(
            ADD_PHONE_ALIAS, alias_id=alias_id, alias_name=alias_name, phone_logins=phone_logins
        )

    async def update_alias(
        self,
        alias_id: str,
        *,
        alias_name: str | None = None,
        phone_logins: list[str] | None = None,
        delete: bool | None = None,
    ) -> AliasResult:
        return await self._run(
            UPDATE_PHONE_ALIAS,
            alias_id=alias_id,
            alias_name=alias_name,
            phone_logins=phone_logins,
            delete_alias=delete,
        )


__all__ = ["Done", "Phones"]
