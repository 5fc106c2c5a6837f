# The compiled help of every cmdlet, as a user reads it: Get-Help -Online opens the cmdlet's page, and every
# example shows the cmdlet it documents.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:commands = @(Get-Command -Module WandbRunOps -CommandType Cmdlet)
}

Describe 'Help of every WandbRunOps cmdlet' {
    It 'covers the twenty-four cmdlets' {
        $commands | Should -HaveCount 24
    }

    It 'opens the cmdlet''s page in the repository docs with Get-Help -Online' -Skip:(-not $IsLinux) {
        # A stand-in browser: .NET opens URLs on Linux with xdg-open, found on PATH.
        $bin = Join-Path $TestDrive 'browser'
        $null = New-Item -ItemType Directory -Path $bin -Force
        $opened = Join-Path $TestDrive 'opened.txt'
        Set-Content -LiteralPath (Join-Path $bin 'xdg-open') -Value "#!/bin/sh`necho `"`$1`" >> '$opened'`n"
        chmod +x (Join-Path $bin 'xdg-open')
        $path = $env:PATH
        try {
            $env:PATH = $bin + [System.IO.Path]::PathSeparator + $path
            foreach ($command in $commands) {
                Get-Help $command.Name -Online -ErrorAction Stop
            }
        }
        finally {
            $env:PATH = $path
        }

        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (@(Get-Content -LiteralPath $opened -ErrorAction SilentlyContinue).Count -lt $commands.Count -and [DateTime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 100
        }

        $expected = $commands | ForEach-Object { "https://github.com/wandbrunops/WandbRunOps/blob/main/docs/en-US/$($_.Name).md" }
        @(Get-Content -LiteralPath $opened | Sort-Object) | Should -Be @($expected | Sort-Object)
    }

    It 'gives <Name> the online address as its HelpUri, under the manifest''s ProjectUri' -TestCases @(
        foreach ($name in 'Get-WandbRun', 'Get-RunConfig', 'Get-RunSummary', 'Get-RunHistory', 'Get-RunLoggedArtifact', 'Get-RunUsedArtifact', 'Measure-RunRuntime', 'Compare-RunConfig', 'Connect-Wandb', 'Disconnect-Wandb', 'Get-WandbConnection', 'Set-WandbRun', 'Stop-WandbRun', 'Remove-WandbRun', 'Wait-WandbRun', 'Get-WandbSweep', 'Get-WandbProject', 'Get-WandbArtifact', 'Get-RunSystemMetric', 'Get-RunMetadata', 'Get-RunLog', 'Get-RunFile', 'Save-RunFile', 'Save-WandbArtifact') {
            @{ Name = $name }
        }
    ) {
        $project = [string](Get-Module WandbRunOps).ProjectUri
        $project | Should -Be 'https://github.com/wandbrunops/WandbRunOps'
        (Get-Command $Name).HelpUri | Should -Be "$project/blob/main/docs/en-US/$Name.md"
    }

    It 'names the license (MIT, in the repository) in the manifest' {
        $module = Get-Module WandbRunOps
        [string]$module.LicenseUri | Should -Be "$([string]$module.ProjectUri)/blob/main/LICENSE"
        $module.Copyright | Should -Match 'MIT License'
        Test-Path -LiteralPath (Join-Path $WandbRunOpsRepoRoot 'LICENSE') -PathType Leaf | Should -BeTrue
    }

    It 'shows <Name> in every example of its help' -TestCases @(
        foreach ($name in 'Get-WandbRun', 'Get-RunConfig', 'Get-RunSummary', 'Get-RunHistory', 'Get-RunLoggedArtifact', 'Get-RunUsedArtifact', 'Measure-RunRuntime', 'Compare-RunConfig', 'Connect-Wandb', 'Disconnect-Wandb', 'Get-WandbConnection', 'Set-WandbRun', 'Stop-WandbRun', 'Remove-WandbRun', 'Wait-WandbRun', 'Get-WandbSweep', 'Get-WandbProject', 'Get-WandbArtifact', 'Get-RunSystemMetric', 'Get-RunMetadata', 'Get-RunLog', 'Get-RunFile', 'Save-RunFile', 'Save-WandbArtifact') {
            @{ Name = $name }
        }
    ) {
        $examples = @((Get-Help $Name -Examples).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            $example.code | Should -Match ([regex]::Escape($Name)) -Because $example.title
        }
    }
}
