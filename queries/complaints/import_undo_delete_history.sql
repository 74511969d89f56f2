-- Removes the history lines an import wrote (its additions and its updates). Params: $batch_id
DELETE FROM complaint_history WHERE import_batch_id = $batch_id
