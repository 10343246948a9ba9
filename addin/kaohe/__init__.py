"""kaohe (考核): a company's attendance, leave and performance policy, applied in its Excel workbooks."""
__version__ = "0.1.0"
