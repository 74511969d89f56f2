"""Moving in: one import mechanism for every ledger a company brings (issue 11).

The shared layer (below the capabilities): reading a file (xlsx, xls, csv in any encoding), mapping
its columns and values to a target's fields, the dry run, applying in one transaction, the import
log and undo. What a row means for the product — validation, natural keys, insert or update —
belongs to the capability that owns the records: each defines a `Target` (csm/importing/target.py),
and csm/import_targets.py (above the capabilities, like csm/flows.py) lists them."""
