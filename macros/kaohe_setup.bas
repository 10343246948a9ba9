Attribute VB_Name = "KaoheSetup"
' Helpers of the kaohe add-in. The build (kaohe.doors.addin) appends RegisterFunctions below: the
' Application.MacroOptions calls of xlwings' "Import Functions", so Insert Function shows the
' Chinese help of every cell function. ThisWorkbook's Workbook_Open calls it.
Option Explicit
Option Private Module

Public Function U(ByVal codes As String) As String
    ' Chinese text: VBA source is kept in the project's code page, so every U("...") literal is
    ' written by the build as UTF-16 code units in hex, four digits each.
    Dim i As Long
    For i = 1 To Len(codes) Step 4
        U = U & ChrW(CLng("&H0000" & Mid$(codes, i, 4)))
    Next i
End Function
