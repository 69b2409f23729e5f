"""Pages dossier draws itself (cover, 目录, placeholders), with reportlab."""
