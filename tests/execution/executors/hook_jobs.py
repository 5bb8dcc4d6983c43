"""A module-level job with hooks and a logger, for step processes to load again."""

from __future__ import annotations

import logging
import os
from typing import Any

import headwater as dg


@dg.success_hook(required_resource_keys={"notes_dir"})
def mark_done(context: Any) -> None:
    path = os.path.join(context.resources.notes_dir, f"hook-{context.op.name}")
    with open(path, "w") as f:
        f.write(str(os.getpid()))


@dg.logger(config_schema={"dir": str})
def file_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    folder = init_context.logger_config["dir"]
    built = logging.Logger("file_logger", level=logging.DEBUG)
    built.addHandler(logging.FileHandler(os.path.join(folder, f"log-{os.getpid()}")))
    return built


@dg.op
def first(context: Any) -> int:
    context.log.info("first says hello")
    return 1


@dg.op
def second(x: int) -> int:
    return x + 1


@dg.job(
    hooks={mark_done},
    logger_defs={"file": file_logger},
    resource_defs={"notes_dir": dg.resource(config_schema=str)(lambda c: c.resource_config)},
    executor_def=dg.multiprocess_executor,
)
def hooked_job() -> None:
    second(first())
