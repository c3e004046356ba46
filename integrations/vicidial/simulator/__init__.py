"""A simulated ViciDial dialer: both HTTP APIs answered from a live in-memory call center.

Like httpcore's mock backend, it lets everything above the wire run for real: the clients,
the engine and rules talk to it exactly as they would to a ViciDial 2.14 server.
"""
