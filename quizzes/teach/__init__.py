"""Teachers: question sets (editor, import, export), the bank copier, and classes."""
