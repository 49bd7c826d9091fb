"""GUI fixtures: the real QApplication set-up (right to left, Vazirmatn, Persian), a context per actor,
and a record of every message box instead of a blocking one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from crm_desktop import config
from crm_desktop.services.actor import Actor
from crm_desktop.views.change_bus import ChangeBus
from crm_desktop.views.context import AppContext
from crm_desktop.views.errors import Messages
from crm_desktop.views.tasks import TaskRunner
from tests.conftest import World


@pytest.fixture(scope="session")
def qapp(qapp_args: list[str]) -> QApplication:
    from crm_desktop.app import create_application

    return create_application(config.UserSettings(), qapp_args)


@dataclass
class Shown:
    """Message boxes the user would have seen: (icon, text)."""

    boxes: list[tuple[QMessageBox.Icon, str]]

    @property
    def texts(self) -> list[str]:
        return [text for _icon, text in self.boxes]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> Shown:
    record = Shown([])

    def fake_exec(box: QMessageBox) -> int:
        record.boxes.append((box.icon(), box.text()))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return record


@pytest.fixture
def make_ctx(world: World, qapp: QApplication, tmp_path: Path,
             shown: Shown) -> Iterator[Callable[[Actor], AppContext]]:
    """A context for one actor; all contexts of a test share one runner and one change bus."""
    runner = TaskRunner(world.services)
    bus = ChangeBus()
    messages = Messages()

    def make(actor: Actor) -> AppContext:
        return AppContext(services=world.services, runner=runner, bus=bus, actor=actor,
                          settings=config.UserSettings(), db_path=world.db.path, messages=messages)

    yield make
    runner.wait_idle()
    QApplication.processEvents()


@pytest.fixture
def ctx(make_ctx: Callable[[Actor], AppContext], world: World) -> AppContext:
    """A clerk's context."""
    return make_ctx(world.clerk)


def wait_idle(qtbot, ctx: AppContext, timeout: int = 5000) -> None:  # type: ignore[no-untyped-def]
    """Wait until every background task has finished and its callback ran."""
    qtbot.waitUntil(lambda: not ctx.runner.busy, timeout=timeout)
