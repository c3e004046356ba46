"""Replay: recorded events through the rules on a pseudo clock, offline (``vicibus replay``).

- ``recorder``: the rules' part of the recording (each service call a run made, and the time
  events that started runs);
- ``recorded``: a recording read back, its calls as answers;
- ``keys``: what names a triggering event in a live run and its replay alike;
- ``replayer``: the events through the testing harness, answered from the recording;
- ``report``: what ran, what did not and why, and the diff of two rule sets.
"""
