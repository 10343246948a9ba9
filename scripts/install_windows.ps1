<#
  Install kaohe for HR on Windows: Python under an ASCII path, kaohe from a wheelhouse, the Excel add-in.

  Usage (PowerShell, as the HR user, with Excel closed):
      powershell -ExecutionPolicy Bypass -File install_windows.ps1 -Wheelhouse D:\kaohe-wheels
  The wheelhouse folder holds python-3.11.x-amd64.exe and the wheels of kaohe and its dependencies
  (made on a connected machine with:  pip download kaohe -d wheelhouse  /  pip wheel . -w wheelhouse).
#>
param(
    [Parameter(Mandatory = $true)][string]$Wheelhouse,
    [string]$Target = "C:\kaohe"          # ASCII only: the xlwings DLL cannot start Python from a Chinese path
)
$ErrorActionPreference = "Stop"

if ($Target -match '[^\x00-\x7F]') { throw "The install folder must use English letters only: $Target" }
$python = Join-Path $Target "python\python.exe"

if (-not (Test-Path $python)) {
    $installer = Get-ChildItem $Wheelhouse -Filter "python-3.11*-amd64.exe" | Select-Object -First 1
    if (-not $installer) { throw "No python-3.11.x-amd64.exe in $Wheelhouse" }
    Write-Host "Installing Python into $Target\python ..."
    Start-Process -Wait -FilePath $installer.FullName -ArgumentList @(
        "/quiet", "InstallAllUsers=0", "PrependPath=0", "Include_launcher=0", "Include_test=0",
        "TargetDir=$Target\python")
}

Write-Host "Installing kaohe from $Wheelhouse ..."
& $python -m pip install --no-index --find-links $Wheelhouse kaohe
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

# xlwings' DLL must sit next to python.exe for the add-in to start Python.
& $python -m xlwings copy dll 2>$null

Write-Host "Installing the Excel add-in ..."
& (Join-Path $Target "python\Scripts\kaohe.exe") addin install
if ($LASTEXITCODE -ne 0) { throw "kaohe addin install failed" }

Write-Host "Done. Open Excel: the ribbon has a tab named kaohe (考勤绩效)."
