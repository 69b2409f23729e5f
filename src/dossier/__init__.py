"""dossier: assemble and check 台账资料 binders for 国家生态文明建设示范市 applications."""

__version__ = "0.1.0"
