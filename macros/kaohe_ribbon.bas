Attribute VB_Name = "KaoheRibbon"
' Callbacks of the kaohe ribbon tab (customUI.xml): every button calls KaoheButton with its id.
' Help and Import Functions only show text (StaticText, written by the build from kaohe.doors.ribbon): no Python.
' The other buttons run kaohe.doors.ribbon.on_button in Python (xlwings RunPython), except where that would
' fail or act on the wrong file: Excel on a Mac (kaohe runs there from the command line only), an incomplete
' install, no workbook open (or only a Protected View window), or a workbook that was never saved.
' Python closes a workbook for a job and reopens it; if Python was ended before (killed in Task Manager),
' the workbook is reopened here.
Option Explicit

Public Sub KaoheButton(control As IRibbonControl)
    Dim problem As String, name As String, fullName As String
    If control.Id = "kaohe_help" Or control.Id = "kaohe_import_functions" Then
        Say StaticText(control.Id)
        Exit Sub
    End If
    problem = InstallProblem()
    If problem <> "" Then
        Say problem, vbExclamation
        Exit Sub
    End If
    If NoWorkbook() Then
        Say U("请先打开要处理的工作簿。在“受保护的视图”中请先点“启用编辑”。")
        Exit Sub
    End If
    If ActiveWorkbook.Path = "" Then
        Say U("此工作簿还没有保存过：请先保存（文件 → 另存为，Excel 工作簿 .xlsx），再点此按钮。")
        Exit Sub
    End If
    name = ActiveWorkbook.Name
    fullName = ActiveWorkbook.FullName
    RunPython "import kaohe.doors.ribbon as r; r.on_button('" & control.Id & "')"
    ReopenIfClosed name, fullName
End Sub

Private Function NoWorkbook() As Boolean
    Dim protectedView As Object
    On Error Resume Next
    Set protectedView = Application.ActiveProtectedViewWindow
    On Error GoTo 0
    NoWorkbook = (ActiveWorkbook Is Nothing) Or Not (protectedView Is Nothing)
End Function

Private Sub ReopenIfClosed(ByVal name As String, ByVal fullName As String)
    Dim wb As Object
    On Error Resume Next
    Set wb = Workbooks(name)
    On Error GoTo 0
    If Not wb Is Nothing Then Exit Sub
    Workbooks.Open fullName
    Say U("kaohe 没有正常结束（可能在任务管理器中被结束）。工作簿“") & name & _
        U("”已重新打开：文件要么未被改动，要么已完整写入（写入前的备份在同一文件夹）。"), vbExclamation
End Sub
