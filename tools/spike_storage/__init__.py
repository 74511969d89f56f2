"""The storage spike of issue 14 (docs/storage.md): not the product. Each module is a script."""
