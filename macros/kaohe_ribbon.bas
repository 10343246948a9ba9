Attribute VB_Name = "KaoheRibbon"
' Callbacks of the kaohe ribbon tab (customUI.xml): every button calls the same handler,
' which passes its id to kaohe.ribbon.on_button in Python (xlwings RunPython).
Option Explicit

Public Sub KaoheButton(control As IRibbonControl)
    RunPython "import kaohe.ribbon as r; r.on_button('" & control.Id & "')"
End Sub
