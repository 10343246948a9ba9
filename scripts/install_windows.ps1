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

  What the PC is decides what is done, by install_checks.json beside this script (the decisions as
  data, checked by the tests): the Defender rule that stops Office starting programs, a Python 3.11
  already registered (the python.org installer would modify it and ignore TargetDir: a virtual
  environment of it is made instead), a language for non-Unicode programs that is not Chinese, WPS
  Office without Excel (the Excel add-in is not installed; kaohe wps install is named).

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
    if ($LASTEXITCODE -ne 0) { throw "$What 失败 / failed (exit code $LASTEXITCODE)" }
}

function Stop-Install([string]$Chinese, [string]$English) {
    Write-Host $Chinese -ForegroundColor Red
    throw $English
}

if ($Target -match '[^\x00-\x7F]') {
    Stop-Install "安装文件夹只能包含英文字母和数字：$Target" "The install folder must use English letters only: $Target"
}

# --- what this PC is ------------------------------------------------------------------------------

function Get-AsrAction([string]$Rule) {
    $action = 0
    try {
        $preference = Get-MpPreference
        $ids = @($preference.AttackSurfaceReductionRules_Ids)
        $actions = @($preference.AttackSurfaceReductionRules_Actions)
        for ($i = 0; $i -lt $ids.Count; $i++) { if ($ids[$i] -eq $Rule) { $action = [int]$actions[$i] } }
    } catch { }  # no Defender (another antivirus): nothing to say
    $policy = "HKLM:\SOFTWARE\Policies\Microsoft\Windows Defender\Windows Defender Exploit Guard\ASR\Rules"
    $set = Get-ItemProperty -Path $policy -ErrorAction SilentlyContinue
    if ($set) {
        foreach ($name in $set.PSObject.Properties.Name) { if ($name -eq $Rule) { $action = [Math]::Max($action, [int]$set.$name) } }
    }
    return $action
}

function Get-Python311 {
    foreach ($key in "HKCU:\Software\Python\PythonCore\3.11\InstallPath", "HKLM:\SOFTWARE\Python\PythonCore\3.11\InstallPath") {
        $found = Get-ItemProperty -Path $key -ErrorAction SilentlyContinue
        if ($found -and $found.ExecutablePath -and (Test-Path $found.ExecutablePath)) { return $found.ExecutablePath }
        if ($found -and $found.'(default)' -and (Test-Path (Join-Path $found.'(default)' "python.exe"))) {
            return (Join-Path $found.'(default)' "python.exe")
        }
    }
    return ""
}

function Get-Office {
    $apps = "SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe"
    $excel = (Test-Path "HKLM:\$apps") -or (Test-Path "HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\App Paths\excel.exe")
    $wps = (Test-Path "HKCU:\Software\Kingsoft\Office") -or (Test-Path "HKLM:\SOFTWARE\Kingsoft\Office") -or
           (Test-Path "HKLM:\SOFTWARE\WOW6432Node\Kingsoft\Office")
    if ($excel) { return "excel" }
    if ($wps) { return "wps_only" }
    return "none"
}

# kaohe's own Python, if an earlier run installed it (the installer's, or a virtual environment)
function Get-KaohePython {
    foreach ($candidate in (Join-Path $Target "python\python.exe"), (Join-Path $Target "python\Scripts\python.exe")) {
        if (Test-Path $candidate) { return $candidate }
    }
    return ""
}

$decisions = Get-Content -Raw -Encoding UTF8 (Join-Path $PSScriptRoot "install_checks.json") | ConvertFrom-Json
$python = Get-KaohePython
$existing = if ($python) { "" } else { Get-Python311 }
$facts = @{
    asr_office_child = Get-AsrAction $decisions.asr_rule
    python311        = if ($existing) { "present" } else { "absent" }
    ansi_code_page   = [System.Text.Encoding]::Default.CodePage
    office           = Get-Office
}

function Test-Check($Check) {
    $value = $facts[$Check.fact]
    if ($null -ne $Check.when) { return @($Check.when) -contains $value }
    if ($null -ne $Check.unless) { return -not (@($Check.unless) -contains $value) }
    return $false
}

function Get-Text($Check) {
    return $Check.zh.Replace("{value}", [string]$facts[$Check.fact]).Replace("{target}", $Target).Replace(
        "{python}", $existing).Replace("{rule}", $decisions.asr_rule)
}

$found = @($decisions.checks | Where-Object { Test-Check $_ })
foreach ($check in $found) { Write-Host (Get-Text $check) -ForegroundColor Yellow; Write-Host "" }

# --- Python -----------------------------------------------------------------------------------------

if (-not $python) {
    if ($found | Where-Object { $_.outcome -eq "venv" }) {
        Write-Host "在 $Target\python 建立虚拟环境 / Making a virtual environment of $existing ..."
        Invoke-Checked "python -m venv" { & $existing -m venv (Join-Path $Target "python") }
    } else {
        $installer = Get-ChildItem $Wheelhouse -Filter "python-3.11*-amd64.exe" | Select-Object -First 1
        if (-not $installer) {
            Stop-Install "安装包文件夹里没有 python-3.11.x-amd64.exe：$Wheelhouse" "No python-3.11.x-amd64.exe in $Wheelhouse"
        }
        Write-Host "安装 Python 到 $Target\python / Installing Python into $Target\python ..."
        $setup = Start-Process -Wait -PassThru -FilePath $installer.FullName -ArgumentList @(
            "/quiet", "InstallAllUsers=0", "PrependPath=0", "Include_launcher=0", "Include_test=0",
            "TargetDir=$Target\python")
        if ($setup.ExitCode -ne 0) {
            Stop-Install "Python 安装程序出错（退出代码 $($setup.ExitCode)）。" "The Python installer failed (exit code $($setup.ExitCode))"
        }
    }
    $python = Get-KaohePython
    if (-not $python) {
        Stop-Install "Python 没有装到 $Target\python（安装程序可能修改了本机已有的 Python）。请把本窗口的全部文字发给 IT。" `
                     "Python was not installed into $Target\python"
    }
}

Write-Host "安装 kaohe / Installing kaohe from $Wheelhouse ..."
Invoke-Checked "pip install" { & $python -m pip install --no-index --find-links $Wheelhouse kaohe }

# The xlwings wheel puts its DLL in the environment's root folder (next to python.exe, or above Scripts in a
# virtual environment), where the add-in loads it from.
$dll = Join-Path $Target "python\xlwings64-0.37.8.dll"
if (-not (Test-Path $dll)) {
    Stop-Install "xlwings 没有装好 $dll：安装包是否为 win_amd64 和 Python 3.11 准备的？" `
                 "xlwings did not install ${dll}: is the wheelhouse made for win_amd64 and Python 3.11?"
}

if ($found | Where-Object { $_.outcome -eq "skip_addin" }) {
    Write-Host "没有安装 Excel 加载项 / The Excel add-in was not installed." -ForegroundColor Yellow
} else {
    Write-Host "安装 Excel 加载项 / Installing the Excel add-in ..."
    Invoke-Checked "kaohe addin install" { & (Join-Path $Target "python\Scripts\kaohe.exe") addin install }
}

foreach ($check in ($found | Where-Object { $_.outcome -ne "venv" })) { Write-Host (Get-Text $check) -ForegroundColor Yellow }

# WPS (beside Excel or instead of it): the same tab in WPS, served by kaohe serve, started at every login.
# WPS is there when it has run for this user (its folder in APPDATA) or registered itself for this user.
$wps = (Test-Path (Join-Path $env:APPDATA "kingsoft\wps")) -or (Test-Path "HKCU:\Software\Kingsoft\Office")
if ($wps) {
    Write-Host "Installing the WPS add-in and the kaohe service ..."
    Invoke-Checked "kaohe wps install" { & (Join-Path $Target "python\Scripts\kaohe.exe") wps install }
    Write-Host "WPS: quit WPS completely (also its icon in the notification area) and open it again. 请完全退出 WPS 后重新打开。"
}

Write-Host "Done. Open Excel (or WPS): the ribbon has a tab named 考勤绩效 (kaohe). 完成：打开 Excel（或 WPS），功能区中有 考勤绩效 选项卡。"
