<#
.SYNOPSIS
    Builds, tests, documents and packages the WandbRunOps module.

.DESCRIPTION
    A thin PowerShell entry point over the same steps `dotnet` runs: `dotnet build -c Release` lays out the
    importable module in out/WandbRunOps, and `dotnet test -c Release` runs the xunit suite (Core tests and cmdlet
    tests in a hosted runspace). The Test task also runs the Pester tests in tests/*.Tests.ps1 when Pester 5 is
    installed, in a fresh process so the freshly built assemblies are the ones loaded.

.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$moduleFolder = Join-Path $root 'out/WandbRunOps'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)][string[]] $Arguments)
    Write-Verbose ("dotnet " + ($Arguments -join ' '))
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' {
            Invoke-Dotnet build (Join-Path $root 'WandbRunOps.sln') -c $Configuration
        }
        'Test' {
            Invoke-Dotnet test (Join-Path $root 'WandbRunOps.sln') -c $Configuration
            $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0' } | Select-Object -First 1
            if ($null -eq $pester) {
                Write-Warning 'Pester 5 is not installed; the Pester tests in tests/*.Tests.ps1 were not run (Install-Module Pester).'
            }
            else {
                $shell = (Get-Process -Id $PID).Path
                $script = "Import-Module Pester -MinimumVersion 5.0; `$c = New-PesterConfiguration; `$c.Run.Path = '$root/tests'; `$c.Run.Exit = `$true; `$c.Output.Verbosity = 'Detailed'; Invoke-Pester -Configuration `$c"
                & $shell -NoProfile -NonInteractive -Command $script
                if ($LASTEXITCODE -ne 0) { throw "Pester tests failed ($LASTEXITCODE)." }
            }
        }
        'Docs' {
            if (Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS) {
                Import-Module Microsoft.PowerShell.PlatyPS
                $help = Join-Path $moduleFolder 'en-US'
                Measure-PlatyPSMarkdown -Path (Join-Path $root 'docs/en-US/*.md') |
                    Where-Object FileType -Match 'CommandHelp' |
                    Import-MarkdownCommandHelp -Path { $_.FilePath } |
                    Export-MamlCommandHelp -OutputFolder $help -Force | Out-Null
            }
            else {
                Write-Warning 'Microsoft.PowerShell.PlatyPS is not installed; no MAML help was generated.'
            }
        }
        'Package' {
            if (-not (Test-Path (Join-Path $moduleFolder 'WandbRunOps.psd1'))) {
                throw "Build first: $moduleFolder has no manifest."
            }
            $version = (Import-PowerShellDataFile (Join-Path $moduleFolder 'WandbRunOps.psd1')).ModuleVersion
            $zip = Join-Path $root "out/WandbRunOps.$version.zip"
            Compress-Archive -Path $moduleFolder -DestinationPath $zip -Force
            Write-Host "Packaged $zip"
        }
    }
}
