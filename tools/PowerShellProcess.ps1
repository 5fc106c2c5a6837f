# How to start another process of the PowerShell that runs this script: the same edition, version and engine files.
# Dot-sourced by build.ps1 and tests/common.ps1 (and through it by the runbooks' tests). Works on Windows PowerShell
# 5.1 and PowerShell 7.4+.
#
# (Get-Process -Id $PID).Path is not the answer: under the .NET tool (`dotnet pwsh`) the process is dotnet itself,
# and `dotnet -NoProfile …` is not PowerShell.

function Get-PowerShellCommand {
    <#
    .SYNOPSIS
    The program and leading arguments that start this same PowerShell: powershell.exe on Windows PowerShell, the pwsh
    apphost where PowerShell runs from one, and `dotnet <PSHOME>/pwsh.dll` under the .NET tool.

    .EXAMPLE
    $pwsh = Get-PowerShellCommand
    & $pwsh.FilePath @($pwsh.Arguments + @('-NoProfile', '-File', 'script.ps1'))
    #>
    [CmdletBinding()]
    param()

    if ($PSVersionTable.PSEdition -eq 'Desktop') {
        return [pscustomobject]@{ FilePath = Join-Path $PSHOME 'powershell.exe'; Arguments = @() }
    }

    $process = [System.Environment]::ProcessPath
    $processName = [System.IO.Path]::GetFileNameWithoutExtension($process)
    if ($processName -eq 'pwsh') {
        return [pscustomobject]@{ FilePath = $process; Arguments = @() }
    }

    # A framework-dependent PowerShell run by the dotnet host (the .NET tool): the same host, the same pwsh.dll.
    $entry = Join-Path $PSHOME 'pwsh.dll'
    if ($processName -eq 'dotnet' -and (Test-Path -LiteralPath $entry -PathType Leaf)) {
        return [pscustomobject]@{ FilePath = $process; Arguments = @($entry) }
    }

    foreach ($name in 'pwsh', 'pwsh.exe') {
        $apphost = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $apphost -PathType Leaf) {
            return [pscustomobject]@{ FilePath = $apphost; Arguments = @() }
        }
    }

    throw "Cannot tell how to start this PowerShell again: the process is '$process' and '$PSHOME' holds neither pwsh.dll nor a pwsh program."
}
