"""Runtime: what runs the stages: worker processes, the local Prefect server and its settings, the
log filter."""
