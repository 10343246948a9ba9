Attribute VB_Name = "KaoheRibbon"
' Callbacks of the kaohe ribbon tab (customUI.xml): every button calls the same handler,
' which passes its id to kaohe.doors.ribbon.on_button in Python (xlwings RunPython).
' Where RunPython would fail or act on the wrong file, the button refuses here with a message:
' no workbook open (or only a Protected View window), or a workbook that was never saved.
Option Explicit

Public Sub KaoheButton(control As IRibbonControl)
    If NoWorkbook() Then
        MsgBox U("请先打开要处理的工作簿。在“受保护的视图”中请先点“启用编辑”。"), vbInformation, U("考勤绩效")
        Exit Sub
    End If
    If ActiveWorkbook.Path = "" And NeedsFile(control.Id) Then
        MsgBox U("此工作簿还没有保存过：请先保存（文件 → 另存为，Excel 工作簿 .xlsx），再点此按钮。"), vbInformation, U("考勤绩效")
        Exit Sub
    End If
    RunPython "import kaohe.doors.ribbon as r; r.on_button('" & control.Id & "')"
End Sub

Private Function NoWorkbook() As Boolean
    Dim protectedView As Object
    On Error Resume Next
    Set protectedView = Application.ActiveProtectedViewWindow
    On Error GoTo 0
    NoWorkbook = (ActiveWorkbook Is Nothing) Or Not (protectedView Is Nothing)
End Function

Private Function NeedsFile(buttonId As String) As Boolean
    ' Every button works on the saved file, except the two that only explain.
    NeedsFile = (buttonId <> "kaohe_help" And buttonId <> "kaohe_import_functions")
End Function
