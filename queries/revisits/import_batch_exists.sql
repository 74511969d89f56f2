-- Returns: number of service records imported from a file with this content hash. Params: $import_batch
SELECT count(*) AS n FROM service_records WHERE import_batch = $import_batch
