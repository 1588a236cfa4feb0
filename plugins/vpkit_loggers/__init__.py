"""Experiment loggers as a vpkit plugin: TensorBoard and JSONL (the default), CSV, MLflow and
Weights & Biases.

Each hook imports its logger's module only when asked, and each logger imports its library
(torch's TensorBoard writer, mlflow, wandb) only when a run starts it.
"""

from vpkit import hookimpl


@hookimpl
def register_loggers(register):
    from vpkit_loggers.csv_logger import CsvLogger
    from vpkit_loggers.jsonl_logger import JsonlLogger
    from vpkit_loggers.mlflow_logger import MlflowLogger
    from vpkit_loggers.tensorboard_logger import TensorBoardLogger
    from vpkit_loggers.wandb_logger import WandbLogger

    for logger in (TensorBoardLogger, JsonlLogger, CsvLogger, MlflowLogger, WandbLogger):
        register(logger)
