<#
  Install kaohe for HR on Windows: Python under an ASCII path, kaohe from a wheelhouse, the Excel add-in,
  and the WPS add-in when WPS is there.
  安装 kaohe（考勤绩效）：Python、kaohe、Excel 加载项，装有 WPS 时还有 WPS 加载项。

  Usage (PowerShell, as the HR user, with Excel closed):
      powershell -ExecutionPolicy Bypass -File install_windows.ps1 -Wheelhouse D:\kaohe-wheels

  The wheelhouse folder holds python-3.11.x-amd64.exe (from python.org) and the wheels of kaohe and
  of everything it needs for Windows. Make it on any connected machine, in a clone of kaohe:
      python -m pip wheel --no-deps -w wheelhouse .
      python -m pip download --only-binary=:all: --platform win_amd64 --python-version 3.11 -d wheelhouse wheelhouse/kaohe-0.1.0-py3-none-any.whl pywin32 tzdata
  (name the kaohe wheel the first command wrote), then copy python-3.11.x-amd64.exe into it.
  pywin32 and tzdata are named because pip evaluates "Windows only" dependencies (of xlwings and
  pandas) for the machine it runs on, not for --platform.

  Every program this script starts is checked by its exit code ($LASTEXITCODE), never by what it
  prints on stderr: Windows PowerShell 5.1 would stop on a mere warning. Saved as UTF-8 with a BOM
  so that Windows PowerShell 5.1 reads the Chinese text correctly.
#>
param(
    [Parameter(Mandatory = $true)][string]$Wheelhouse,
    [string]$Target = "C:\kaohe"          # ASCII only: the xlwings DLL cannot start Python from a Chinese path
)
$ErrorActionPreference = "Stop"

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

if ($Target -match '[^\x00-\x7F]') { throw "The install folder must use English letters only: $Target" }
$python = Join-Path $Target "python\python.exe"

if (-not (Test-Path $python)) {
    $installer = Get-ChildItem $Wheelhouse -Filter "python-3.11*-amd64.exe" | Select-Object -First 1
    if (-not $installer) { throw "No python-3.11.x-amd64.exe in $Wheelhouse" }
    Write-Host "Installing Python into $Target\python ..."
    $setup = Start-Process -Wait -PassThru -FilePath $installer.FullName -ArgumentList @(
        "/quiet", "InstallAllUsers=0", "PrependPath=0", "Include_launcher=0", "Include_test=0",
        "TargetDir=$Target\python")
    if ($setup.ExitCode -ne 0) { throw "The Python installer failed (exit code $($setup.ExitCode))" }
}

Write-Host "Installing kaohe from $Wheelhouse ..."
Invoke-Checked "pip install" { & $python -m pip install --no-index --find-links $Wheelhouse kaohe }

# The xlwings wheel puts its DLL next to python.exe, where the add-in loads it from.
$dll = Join-Path $Target "python\xlwings64-0.37.8.dll"
if (-not (Test-Path $dll)) { throw "xlwings did not install ${dll}: is the wheelhouse made for win_amd64 and Python 3.11?" }

Write-Host "Installing the Excel add-in ..."
Invoke-Checked "kaohe addin install" { & (Join-Path $Target "python\Scripts\kaohe.exe") addin install }

# WPS (beside Excel or instead of it): the same tab in WPS, served by kaohe serve, started at every login.
# WPS is there when it has run for this user (its folder in APPDATA) or registered itself for this user.
$wps = (Test-Path (Join-Path $env:APPDATA "kingsoft\wps")) -or (Test-Path "HKCU:\Software\Kingsoft\Office")
if ($wps) {
    Write-Host "Installing the WPS add-in and the kaohe service ..."
    Invoke-Checked "kaohe wps install" { & (Join-Path $Target "python\Scripts\kaohe.exe") wps install }
    Write-Host "WPS: quit WPS completely (also its icon in the notification area) and open it again. 请完全退出 WPS 后重新打开。"
}

Write-Host "Done. Open Excel (or WPS): the ribbon has a tab named 考勤绩效 (kaohe). 完成：打开 Excel（或 WPS），功能区中有 考勤绩效 选项卡。"
