# Cowbird's entry point for Windows: the same verbs as build.sh (run, test, iso,
# debug, setup, --help), executed by build.sh inside WSL (a Debian or Ubuntu
# distribution). On Linux or macOS PowerShell it calls build.sh directly.
#   .\build.ps1 run
#   .\build.ps1 test
param(
    [Parameter(Position = 0)][string]$Verb = "--help",
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = "Stop"

if ($IsLinux -or $IsMacOS) {
    & bash (Join-Path $PSScriptRoot "build.sh") $Verb @Rest
    exit $LASTEXITCODE
}

if (-not (Get-Command wsl.exe -ErrorAction SilentlyContinue)) {
    Write-Error "Cowbird builds inside WSL. Install it with: wsl --install -d Debian ; then run .\build.ps1 $Verb again."
    exit 1
}

& wsl.exe --cd $PSScriptRoot ./build.sh $Verb @Rest
exit $LASTEXITCODE
