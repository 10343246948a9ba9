Attribute VB_Name = "KaoheRules"
' kaohe's cell functions are not volatile: Excel recalculates a cell when its arguments change, not on every
' edit anywhere (no Python call per cell per keystroke, no "save changes?" for nothing). The one other thing
' they depend on is their workbook's rules sheets (RulesSheetNames: the rules and the holidays sheet), which Python reads once per
' workbook (kaohe.doors.cells). When those change, this module has Python forget what it read and recalculates
' the cells that call a kaohe function. ThisWorkbook forwards Excel's application events:
'   SheetChange    a cell edited, pasted or cleared on a rules sheet;
'   SheetActivate  the set of rules sheets changed since the workbook was last seen (one added, deleted or
'                  renamed: Excel raises no event for a rename, the next sheet activated shows it);
'   WorkbookOpen   Python forgets a workbook opened again (it may have changed while it was closed).
' In manual calculation mode the cells are only marked dirty: F9 recalculates them, as any other.
Option Explicit
Option Private Module

Private seen As Object  ' workbook FullName -> which rules sheets it had when last seen

Public Sub SheetChanged(ByVal sh As Object)
    If IsRulesSheet(sh.Name) Then Refresh sh.Parent
End Sub

Public Sub SheetActivated(ByVal sh As Object)
    Dim wb As Object, before As String
    On Error GoTo done
    Set wb = sh.Parent
    before = Remember(wb)
    If before <> "" And before <> RulesSheets(wb) Then Refresh wb
done:
End Sub

Public Sub Opened(ByVal wb As Object)
    On Error GoTo done
    Remember wb
    If KaoheServer <> "" Then Forget wb  ' no server yet: nothing was read
done:
End Sub

Public Sub Refresh(ByVal wb As Object)
    ' Python forgets the workbook's rules; every cell calling a kaohe function is marked dirty and recalculated.
    Dim sh As Object, formulas As Object, cell As Object, found As Boolean
    #If Mac Then
        Exit Sub
    #End If
    On Error Resume Next  ' a sheet without formulas, a protected sheet: the others all the same, HR's edit undisturbed
    For Each sh In wb.Worksheets
        Set formulas = Nothing
        Set formulas = sh.UsedRange.SpecialCells(xlCellTypeFormulas)
        If Not formulas Is Nothing Then
            For Each cell In formulas.Cells
                If CallsKaohe(cell.Formula) Then
                    If Not found Then Forget wb
                    found = True
                    cell.Dirty
                End If
            Next cell
        End If
    Next sh
    If found Then
        If Application.Calculation = xlCalculationAutomatic Then Application.Calculate
    End If
End Sub

Private Sub Forget(ByVal wb As Object)
    XLPy.Call XLPy.Module("kaohe.doors.cells"), "forget", XLPy.Tuple(wb.FullName)
End Sub

Private Function Remember(ByVal wb As Object) As String
    ' The rules sheets the workbook had when last seen ("" the first time); now remembered as it is.
    If seen Is Nothing Then Set seen = CreateObject("Scripting.Dictionary")
    If seen.Exists(wb.FullName) Then Remember = seen(wb.FullName)
    seen(wb.FullName) = RulesSheets(wb)
End Function

Private Function RulesSheets(ByVal wb As Object) As String
    Dim sh As Object
    RulesSheets = "|"
    For Each sh In wb.Worksheets
        If IsRulesSheet(sh.Name) Then RulesSheets = RulesSheets & sh.Name & "|"
    Next sh
End Function

Private Function IsRulesSheet(ByVal name As String) As Boolean
    IsRulesSheet = InStr(RulesSheetNames(), "|" & name & "|") > 0
End Function

Private Function CallsKaohe(ByVal formula As String) As Boolean
    Dim name As Variant
    formula = UCase$(formula)
    For Each name In Split(CellFunctions(), "|")
        If name <> "" Then
            If InStr(formula, name) > 0 Then
                CallsKaohe = True
                Exit Function
            End If
        End If
    Next name
End Function
