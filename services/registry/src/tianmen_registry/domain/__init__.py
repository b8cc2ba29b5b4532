"""The registry's pure domain: USCC validation, enterprises, machines and terminal bindings."""
