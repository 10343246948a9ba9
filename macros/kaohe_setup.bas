Attribute VB_Name = "KaoheSetup"
' Helpers of the kaohe add-in (Option Private Module: none of them shows in Insert Function or AutoComplete).
' The build (kaohe.doors.addin_vba) appends RegisterFunctions below: the Application.MacroOptions calls of
' xlwings' "Import Functions", so Insert Function shows the Chinese help of every cell function.
' ThisWorkbook's Workbook_Open calls it.
Option Explicit
Option Private Module

' The UDF server command, built once per Excel session by XLPy (xlwings module): "" until Python was first called.
Public KaoheServer As String
Private settings As Object  ' the add-in's settings, key in upper case -> value; read once per session

Public Function U(ByVal codes As String) As String
    ' Chinese text: VBA source is kept in the project's code page, so every U("...") literal is
    ' written by the build as UTF-16 code units in hex, four digits each.
    Dim i As Long
    For i = 1 To Len(codes) Step 4
        U = U & ChrW(CLng("&H0000" & Mid$(codes, i, 4)))
    Next i
End Function

Public Function Say(ByVal text As String, Optional ByVal flags As Long = vbInformation) As Long
    ' A message box that shows Chinese on any PC: VBA's MsgBox goes through the non-Unicode code page
    ' (Chinese becomes ??? where that is not Chinese); WScript.Shell's Popup takes Unicode text.
    Const TOPMOST As Long = &H40000
    #If Mac Then
        Say = MsgBox(text, flags, U("考勤绩效"))
    #Else
        On Error GoTo plain
        Say = CreateObject("WScript.Shell").Popup(text, 0, U("考勤绩效"), flags Or TOPMOST)
        Exit Function
plain:
        Say = MsgBox(text, flags, U("考勤绩效"))
    #End If
End Function

Public Function CellValue(Optional ByVal x As Variant) As Variant
    ' What a cell function's argument holds: a range's values are read here, inside Excel, so Python
    ' receives values and never a Range to ask Excel about (each question is a round trip between two
    ' processes). The wrappers in kaohe_udfs pass every argument through it.
    If IsObject(x) Then
        CellValue = x.Value
    Else
        CellValue = x
    End If
End Function

Public Function Setting(ByVal key As String, Optional ByVal default As String = "") As String
    ' The add-in's own settings only, never the active workbook's sheet or folder: %USERPROFILE%\.kaohe\kaohe.conf
    ' ("KEY","value" lines, UTF-16), read once per Excel session. The interpreter must be a full path, so no
    ' program of Excel's current folder (perhaps a received workbook's) is ever started in its place.
    #If Mac Then
        Setting = default
        Exit Function
    #End If
    If settings Is Nothing Then Set settings = ReadSettings(SettingsFile())
    key = UCase$(key)
    If settings.Exists(key) Then Setting = settings(key) Else Setting = default
    If (key = "INTERPRETER_WIN" Or key = "INTERPRETER") And Not IsFullPath(Setting) Then
        Err.Raise vbObjectError + 513, "kaohe", InstallProblem()
    End If
End Function

Public Function InstallProblem() As String
    ' Why the add-in cannot start Python, or "" when it can.
    Dim interpreter As String
    #If Mac Then
        InstallProblem = U("Mac 上的 Excel 不能运行 kaohe 的按钮和单元格函数：请在“终端”中使用命令行 kaohe（见使用指南“常见问题”）。")
        Exit Function
    #End If
    If settings Is Nothing Then Set settings = ReadSettings(SettingsFile())
    If settings.Exists("INTERPRETER_WIN") Then interpreter = settings("INTERPRETER_WIN")
    If Not IsFullPath(interpreter) Then
        InstallProblem = U("kaohe 没有安装完整：找不到设置文件 ") & SettingsFile() & _
            U(" 或其中没有 Python 的完整路径。请关闭 Excel 后重新运行安装（install_windows.ps1，或命令 kaohe addin install）。")
    End If
End Function

Public Function SettingsFile() As String
    ' %USERPROFILE% through WScript.Shell (Unicode): VBA's Environ answers in the non-Unicode code page, so a
    ' Chinese user name on a PC whose non-Unicode language is not Chinese would come back as ??.
    SettingsFile = CreateObject("WScript.Shell").ExpandEnvironmentStrings("%USERPROFILE%") & "\.kaohe\kaohe.conf"
End Function

Private Function ReadSettings(ByVal path As String) As Object
    ' "KEY","value" per line, read with the Unicode-aware FileSystemObject (VBA's Open is not Unicode).
    Dim found As Object, fso As Object, stream As Object, entry As String, parts() As String
    Set found = CreateObject("Scripting.Dictionary")
    Set ReadSettings = found
    On Error GoTo done
    Set fso = CreateObject("Scripting.FileSystemObject")
    If Not fso.FileExists(path) Then Exit Function
    Set stream = fso.OpenTextFile(path, 1, False, -1)  ' for reading, not creating, UTF-16
    Do While Not stream.AtEndOfStream
        entry = Trim$(Replace(stream.ReadLine, ChrW(&HFEFF), ""))  ' a byte-order mark, if it is read as text
        If Len(entry) > 1 And Left$(entry, 1) = """" And Right$(entry, 1) = """" Then
            parts = Split(Mid$(entry, 2, Len(entry) - 2), """,""")
            If UBound(parts) = 1 Then found(UCase$(parts(0))) = parts(1)
        End If
    Loop
    stream.Close
done:
End Function

Private Function IsFullPath(ByVal path As String) As Boolean
    IsFullPath = (path Like "[A-Za-z]:\*") Or (Left$(path, 2) = "\\")
End Function
