"""release_freed_memory gives the freed C heap back: the resident size falls."""

from __future__ import annotations

import os

import pytest

from engine.memory import release_freed_memory

MIB = 2**20


def resident() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_freed_heap_pages_go_back_to_the_system() -> None:
    # 128 MiB in 8 KiB blocks (glibc's heap, not Python's arenas), one in 64 kept, so the
    # free space lies between live blocks where glibc does not give it back on its own.
    blocks = [bytearray(8192) for _ in range(16384)]
    kept = blocks[::64]
    del blocks
    before = resident()
    assert release_freed_memory()
    after = resident()
    assert before - after > 64 * MIB, (before // MIB, after // MIB)
    assert len(kept) == 256
