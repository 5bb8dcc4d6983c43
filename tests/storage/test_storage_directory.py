from __future__ import annotations

from pathlib import Path

from headwater.storage import Instance


def test_persistent_instance_stores_values_under_home(tmp_path: Path) -> None:
    with Instance.local_temp(tmp_path) as instance:
        assert instance.storage_directory() == str(tmp_path / "storage")


def test_ephemeral_instance_has_its_own_folder_until_disposed() -> None:
    instance = Instance.ephemeral()
    folder = instance.storage_directory()
    assert Path(folder).is_dir()
    assert instance.storage_directory() == folder
    assert Instance.ephemeral().storage_directory() != folder
    instance.dispose()
    assert not Path(folder).exists()
