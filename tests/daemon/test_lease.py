"""One acting daemon per instance: the lease."""

from __future__ import annotations

from headwater.daemon.lease import Lease, lease_holder
from headwater.storage import Instance


def test_one_holder_at_a_time_and_a_takeover_once_it_expires() -> None:
    instance = Instance.ephemeral()
    first, second = Lease(instance, "a", ttl=5), Lease(instance, "b", ttl=5)
    assert first.try_hold(now=100.0)
    assert not second.try_hold(now=101.0)
    assert first.try_hold(now=103.0)  # renewed until 108
    assert not second.try_hold(now=107.9)
    assert lease_holder(instance, now=107.9) == "a"
    assert second.try_hold(now=108.1)  # the first stopped renewing
    assert not first.try_hold(now=108.2)
    assert lease_holder(instance, now=108.2) == "b"


def test_a_released_lease_is_free_at_once() -> None:
    instance = Instance.ephemeral()
    first, second = Lease(instance, "a", ttl=60), Lease(instance, "b", ttl=60)
    assert first.try_hold(now=0.0)
    first.release()
    assert lease_holder(instance, now=1.0) is None
    assert second.try_hold(now=1.0)
    first.release()  # not the holder: nothing changes
    assert lease_holder(instance, now=2.0) == "b"
