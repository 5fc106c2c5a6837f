# The precompiled (ReadyToRun) copies of the module's assemblies (issue 18 goal 2, the first command in a new shell):
# on PowerShell 7.6 on Linux x64 (.NET 10) a fresh shell loads WandbRunOps.Core, YamlDotNet and csFastFloat from
# bin/net10.0-linux-x64, chosen by the first nested module (WandbRunOps.ReadyToRun); a copy of the module without
# that folder, and every other runtime, loads the IL copies in bin/ and works the same. Each case runs in a fresh
# process, as a user's new shell: an assembly once loaded stays loaded for the process.

BeforeDiscovery {
    # The one runtime the build precompiles for (src/WandbRunOps.ReadyToRun/PrecompileModule.targets).
    $script:precompiledHere = $PSVersionTable.PSEdition -eq 'Core' -and $IsLinux -and
        [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'X64' -and [System.Environment]::Version.Major -eq 10
}

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:moduleFolder = Split-Path -Parent $WandbRunOpsManifest
    $script:precompiledFolder = Join-Path (Join-Path $moduleFolder 'bin') 'net10.0-linux-x64'
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')

    # A copy of the built module without the precompiled folder: what every other runtime loads.
    $script:ilOnlyManifest = Join-Path (Join-Path (Join-Path $TestDrive 'il-only') 'WandbRunOps') 'WandbRunOps.psd1'
    $ilOnlyParent = New-Item -ItemType Directory -Path (Split-Path -Parent (Split-Path -Parent $ilOnlyManifest))
    Copy-Item -LiteralPath $moduleFolder -Destination $ilOnlyParent.FullName -Recurse
    $ilOnlyPrecompiled = Join-Path (Join-Path (Split-Path -Parent $ilOnlyManifest) 'bin') 'net10.0-linux-x64'
    if (Test-Path -LiteralPath $ilOnlyPrecompiled) {
        Remove-Item -LiteralPath $ilOnlyPrecompiled -Recurse -Force
    }

    # Imports a manifest in a new PowerShell process, runs the first Get-WandbRun, and reports what it saw as JSON.
    function Invoke-FreshShell {
        param([string] $Manifest)

        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module -Name '{0}'
$runs = @(Get-WandbRun -Path '{1}')
$location = @{{}}
foreach ($assembly in [System.AppDomain]::CurrentDomain.GetAssemblies()) {{
    $name = $assembly.GetName().Name
    if ($name -in 'WandbRunOps', 'WandbRunOps.Core', 'YamlDotNet', 'csFastFloat') {{ $location[$name] = $assembly.Location }}
}}
$help = Get-Help Get-WandbRun -Full
$nested = @((Get-Module WandbRunOps).NestedModules | ForEach-Object Name)
Remove-Module WandbRunOps
Import-Module -Name '{0}'
$again = @(Get-WandbRun -Path '{1}').Count
Import-Module -Name '{0}' -Force
$forced = @(Get-WandbRun -Path '{1}').Count
$other = [powershell]::Create()
$inOther = @($other.AddScript("Import-Module -Name '{0}'; @(Get-WandbRun -Path '{1}').Count").Invoke())
[pscustomobject]@{{
    Runs = $runs.Count
    FirstRunType = $runs[0].GetType().FullName
    Location = $location
    Nested = $nested
    Commands = @(Get-Command -Module WandbRunOps | ForEach-Object Name | Sort-Object)
    HelpSynopsis = $help.Synopsis
    HelpExamples = @($help.examples.example).Count
    Again = $again
    Forced = $forced
    OtherRunspace = $inOther[0]
    OtherRunspaceErrors = $other.Streams.Error.Count
}} | ConvertTo-Json -Depth 3 -Compress
'@ -f $Manifest.Replace("'", "''"), $wandb.Replace("'", "''")
        $shell = Get-PowerShellCommand
        $output = @(& $shell.FilePath @($shell.Arguments + @('-NoProfile', '-NonInteractive', '-Command', $script)) 2>&1)
        $LASTEXITCODE | Should -Be 0 -Because ($output -join [System.Environment]::NewLine)
        $output[-1] | ConvertFrom-Json
    }

    # How many methods the JIT compiled in a new shell that imports a manifest and runs the first Get-WandbRun: the
    # process's whole count at the end of a command that does only that (a longer script adds the engine's own
    # background compilation of it, which varies from run to run).
    function Measure-FirstCommandMethods {
        param([string] $Manifest)

        $command = "Import-Module -Name '{0}'; `$null = Get-WandbRun -Path '{1}'; [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false)" -f $Manifest.Replace("'", "''"), $wandb.Replace("'", "''")
        $shell = Get-PowerShellCommand
        $output = @(& $shell.FilePath @($shell.Arguments + @('-NoProfile', '-NonInteractive', '-Command', $command)) 2>&1)
        $LASTEXITCODE | Should -Be 0 -Because ($output -join [System.Environment]::NewLine)
        [long] $output[-1]
    }

    $script:expectedCommands = @((Import-PowerShellDataFile -LiteralPath $WandbRunOpsManifest).CmdletsToExport | Sort-Object)
    $script:built = Invoke-FreshShell -Manifest $WandbRunOpsManifest
    $script:ilOnly = Invoke-FreshShell -Manifest $ilOnlyManifest
}

Describe 'The module in a new shell' {
    It 'names its first nested module for what it does, and it exports nothing' {
        $manifest = Import-PowerShellDataFile -LiteralPath $WandbRunOpsManifest
        @($manifest.NestedModules)[0] | Should -Be 'bin/WandbRunOps.ReadyToRun.dll'
        $built.Nested | Should -Be @('WandbRunOps.ReadyToRun')
        $built.Commands | Should -Be $expectedCommands
    }

    It 'lists the 24 commands, finds their help, and imports again after Remove-Module, with -Force and in a second runspace' {
        foreach ($result in $built, $ilOnly) {
            $result.Runs | Should -Be 8
            $result.FirstRunType | Should -Be 'WandbRunOps.Model.WandbRun'
            $result.Commands | Should -Be $expectedCommands
            $result.Commands.Count | Should -Be 24
            $result.HelpSynopsis | Should -Match 'W&B runs'
            $result.HelpExamples | Should -BeGreaterThan 0
            $result.Again | Should -Be 8
            $result.Forced | Should -Be 8
            $result.OtherRunspace | Should -Be 8
            $result.OtherRunspaceErrors | Should -Be 0
        }
    }

    It 'loads the cmdlets themselves from bin/WandbRunOps.dll (the manifest path) in both' {
        $built.Location.WandbRunOps | Should -Be (Join-Path (Join-Path $moduleFolder 'bin') 'WandbRunOps.dll')
        $ilOnly.Location.WandbRunOps | Should -Be (Join-Path (Join-Path (Split-Path -Parent $ilOnlyManifest) 'bin') 'WandbRunOps.dll')
    }

    It 'without the precompiled folder, loads Core, YamlDotNet and csFastFloat from bin/' {
        $bin = Join-Path (Split-Path -Parent $ilOnlyManifest) 'bin'
        foreach ($name in 'WandbRunOps.Core', 'YamlDotNet', 'csFastFloat') {
            $ilOnly.Location.$name | Should -Be (Join-Path $bin "$name.dll")
        }
    }
}

Describe 'On PowerShell 7.6 on Linux x64 (.NET 10)' -Skip:(-not $precompiledHere) {
    It 'the build made the precompiled folder' {
        foreach ($name in 'WandbRunOps.Core', 'YamlDotNet', 'csFastFloat') {
            Join-Path $precompiledFolder "$name.dll" | Should -Exist
        }
    }

    It 'loads Core, YamlDotNet and csFastFloat from bin/net10.0-linux-x64' {
        foreach ($name in 'WandbRunOps.Core', 'YamlDotNet', 'csFastFloat') {
            $built.Location.$name | Should -Be (Join-Path $precompiledFolder "$name.dll")
        }
    }

    It 'leaves the JIT far fewer methods to compile for the import and the first Get-WandbRun than the IL copies do' {
        # About 800 fewer: Core's, YamlDotNet's and csFastFloat's (the cmdlets' own, in WandbRunOps.dll, remain).
        $precompiled = Measure-FirstCommandMethods -Manifest $WandbRunOpsManifest
        $il = Measure-FirstCommandMethods -Manifest $ilOnlyManifest
        $precompiled | Should -BeLessThan ($il - 400) -Because "a new shell compiled $precompiled methods with the precompiled copies and $il with the IL copies"
    }
}
