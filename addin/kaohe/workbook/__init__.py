"""The workbook layer: the contract, reading input sheets, writing output sheets."""
