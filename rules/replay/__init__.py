"""Replay: recorded events through the rules on a pseudo clock, offline (``vicibus replay``).

- ``recorder``: the rules' part of the recording (each service call a run made);
"""
