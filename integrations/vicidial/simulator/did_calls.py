"""An inbound call to a DID, routed the way ViciDial routes it: the DID's filter first.

A DID with a filter URL asks it about the caller while the call waits; on a match the call
goes to the filter's in-group (or is hung up when the filter names none), otherwise to its
usual in-group. The traffic model places its inbound calls through here, and so can a test.
"""

from __future__ import annotations

from integrations.vicidial.simulator.callbacks import CallbackDispatcher
from integrations.vicidial.simulator.records import Call, CallDirection
from integrations.vicidial.simulator.state import CallCenter


async def call_did(
    center: CallCenter,
    callbacks: CallbackDispatcher,
    pattern: str,
    phone_number: str,
    ingroup: str = "",
) -> Call | None:
    """The call from ``phone_number`` to the DID ``pattern``, waiting in its in-group:
    ``ingroup`` (default: the DID's own) or, on a filter match, the filter's. None: the
    filter matched and its action hung up on the caller."""
    _, uniqueid = center.new_call_ids(CallDirection.INBOUND, 0)
    target = ingroup
    if await callbacks.did_filter(pattern, phone_number, uniqueid):
        target = center.dids[pattern].filter_ingroup
        if not target:
            return None
    return center.start_call(
        phone_number=phone_number,
        direction=CallDirection.INBOUND,
        ingroup=target,
        did=pattern,
        uniqueid=uniqueid,
    )
