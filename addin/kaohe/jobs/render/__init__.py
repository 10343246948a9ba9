"""Renderers: engine results (MonthResult, KpiResult) into the sheet specifications the workbook layer writes."""
