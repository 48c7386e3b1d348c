"""The ground every stage stands on: the records (model), named errors, settings, the sources
file, the table schemas, the reference data and ids. Nothing here imports a stage."""
