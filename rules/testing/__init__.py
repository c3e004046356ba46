"""Rule tests offline: a harness that runs compiled rules on a manual clock with services
answered by stubs (``rules.testing.harness``), and the test files of ``vicibus test``."""
