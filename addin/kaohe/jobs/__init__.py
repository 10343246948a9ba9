"""The jobs every door runs: read a workbook, run the engine, write kaohe's sheets or files.

One module per job (month, kpi, importing, close, finance, slips, mail); ``render`` turns engine results
into sheet specifications. Jobs may import everything below them: engine, policy, imports, workbook.
"""
