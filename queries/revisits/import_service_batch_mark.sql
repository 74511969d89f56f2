-- Marks the service records an import saved (and the revisit tasks they opened) with its batch.
-- Params: $import_batch, $batch_id
UPDATE service_records SET import_batch_id = $batch_id WHERE import_batch = $import_batch
