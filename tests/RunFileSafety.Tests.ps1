# What every local cmdlet does with run files that are not plain files of the run folder (issue 13 points 2, 4, 7):
# fifos, links to devices, links out of the run folder, link loops, a 4 GB hole, and files or folders this user may
# not read. Each command runs in its own runspace that is stopped after a time-out (or in a child process), so a
# regression fails the test instead of hanging the suite. Unix only: Windows has no fifos, devices or file modes.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:samples = New-SampleRuns -Path (Join-Path $TestDrive 'samples')

    function script:New-RunCopy([string] $Name) {
        $target = Join-Path $TestDrive $Name
        $null = New-Item -ItemType Directory -Path $target
        Copy-Item -Recurse -LiteralPath $samples -Destination $target
        Join-Path $target 'wandb'
    }

    function script:Get-RunFolder([string] $Wandb, [string] $Id) {
        (Get-ChildItem -LiteralPath $Wandb -Directory -Filter "run-*-$Id").FullName
    }

    # Runs $Script (with $Arguments as $args) in a fresh runspace with the module; stops it and throws after $Seconds.
    function script:Invoke-Bounded([string] $Script, [object[]] $Arguments, [int] $Seconds = 30) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$WandbRunOpsManifest'").Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddScript($Script)
            foreach ($argument in $Arguments) { $null = $ps.AddArgument($argument) }
            $handle = $ps.BeginInvoke()
            if (-not $handle.AsyncWaitHandle.WaitOne([timespan]::FromSeconds($Seconds))) {
                $null = $ps.BeginStop($null, $null)
                throw "The command did not finish within $Seconds s: $Script"
            }

            [pscustomobject]@{
                Output   = @($ps.EndInvoke($handle))
                Warnings = @($ps.Streams.Warning | ForEach-Object Message)
                Errors   = @($ps.Streams.Error)
            }
        }
        finally {
            if ($handle -and $handle.IsCompleted) { $ps.Dispose() }
        }
    }
}

Describe 'Run files that are not plain files of the run folder' -Skip:($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
    Context 'special files and links (points 4 and 7)' {
        It '<File> as <Kind>: a warning, every run, nothing from outside' -TestCases @(
            @{ File = 'run-fin0002b.wandb'; Kind = 'fifo' }
            @{ File = 'files/wandb-summary.json'; Kind = 'fifo' }
            @{ File = 'files/wandb-metadata.json'; Kind = 'fifo' }
            @{ File = 'files/config.yaml'; Kind = 'fifo' }
            @{ File = 'files/config.yaml'; Kind = 'device' }
            @{ File = 'files/wandb-summary.json'; Kind = 'device' }
            @{ File = 'files/wandb-metadata.json'; Kind = 'device' }
            @{ File = 'files/config.yaml'; Kind = 'outside' }
            @{ File = 'files/wandb-summary.json'; Kind = 'outside' }
            @{ File = 'files/config.yaml'; Kind = 'loop' }
            @{ File = 'run-fin0002b.wandb'; Kind = 'loop' }
        ) {
            $wandb = New-RunCopy "special-$Kind-$($File -replace '\W', '-')"
            $path = Join-Path (Get-RunFolder $wandb 'fin0002b') $File
            $outside = Join-Path $TestDrive "outside-$Kind-$($File -replace '\W', '-')"
            Set-Content -LiteralPath $outside -Value $(if ($File -like '*.yaml') { "secret_key:`n  value: hunter2" } else { '{"secret_key": "hunter2"}' })
            Remove-Item -LiteralPath $path
            switch ($Kind) {
                'fifo' { & mkfifo $path; $LASTEXITCODE | Should -Be 0 }
                'device' { $null = New-Item -ItemType SymbolicLink -Path $path -Target '/dev/zero' }
                'outside' { $null = New-Item -ItemType SymbolicLink -Path $path -Target $outside }
                'loop' { $null = New-Item -ItemType SymbolicLink -Path $path -Target (Split-Path -Leaf $path) -Force }
            }

            $result = Invoke-Bounded -Arguments $wandb -Script @'
$runs = Get-WandbRun -Path $args[0]
$runs.Count
$runs | Get-RunConfig | ConvertTo-Json -Depth 5
$runs | Get-RunSummary | ConvertTo-Json -Depth 5
'@
            $result.Errors | Should -BeNullOrEmpty
            $result.Output[0] | Should -Be 8
            ($result.Output -join "`n") | Should -Not -Match 'hunter2'
            ($result.Warnings -join "`n") | Should -BeLike "*$(Split-Path -Leaf $path)*"
        }

        It 'a log followed by a 4 GB hole: every run, a warning, and Stop() returns within a second' {
            $wandb = New-RunCopy 'hole'
            $log = Join-Path (Get-RunFolder $wandb 'fin0002b') 'run-fin0002b.wandb'
            $stream = [System.IO.File]::OpenWrite($log)
            try { $stream.SetLength($stream.Length + 4GB) } finally { $stream.Dispose() }

            $result = Invoke-Bounded -Arguments $wandb -Script 'Get-WandbRun -Path $args[0] | Measure-Object | ForEach-Object Count'
            $result.Output[0] | Should -Be 8
            ($result.Warnings -join "`n") | Should -BeLike '*bytes of zeros*'

            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$WandbRunOpsManifest'").Invoke()
            $ps.Commands.Clear()
            $null = $ps.AddScript('Get-WandbRun -Path $args[0] -Id fin0002b | Get-RunHistory').AddArgument($wandb)
            $handle = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 200
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 1
            $handle.IsCompleted | Should -BeTrue
            $ps.Dispose()
        }

        It 'a .wandb log named through a link is read where it lives' {
            $wandb = New-RunCopy 'named-link'
            # Beside neither the run folder nor the wandb folder: the link's own folder does not hold the log.
            $null = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'links-elsewhere')
            $link = Join-Path $TestDrive 'links-elsewhere/my-run.wandb'
            $null = New-Item -ItemType SymbolicLink -Path $link -Target (Join-Path (Get-RunFolder $wandb 'fin0002b') 'run-fin0002b.wandb')

            $result = Invoke-Bounded -Arguments $link -Script 'Get-WandbRun -Path $args[0] | ForEach-Object { $_.Id; $_.Name }'
            $result.Warnings | Should -BeNullOrEmpty
            $result.Errors | Should -BeNullOrEmpty
            $result.Output | Should -Be @('fin0002b', 'calm-forest-2')
        }

        It 'a link to a file inside the run folder is read' {
            $wandb = New-RunCopy 'inside-link'
            $folder = Get-RunFolder $wandb 'fin0002b'
            Move-Item -LiteralPath (Join-Path $folder 'files/wandb-summary.json') -Destination (Join-Path $folder 'summary-copy.json')
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'files/wandb-summary.json') -Target '../summary-copy.json'

            $result = Invoke-Bounded -Arguments $wandb -Script 'Get-WandbRun -Path $args[0] -Id fin0002b | Get-RunSummary | Out-Null'
            $result.Warnings | Should -BeNullOrEmpty
            $result.Errors | Should -BeNullOrEmpty
        }
    }

    Context 'permission denied (point 2): file modes applied to a child pwsh' {
        BeforeAll {
            # Root reads everything; a root child without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH obeys file modes.
            $script:asRoot = (& id -u) -eq '0'
            $script:pwsh = Get-PowerShellCommand
            function script:Invoke-Unprivileged([string] $Script) {
                $command = @($pwsh.FilePath) + $pwsh.Arguments + @('-NoProfile', '-NonInteractive', '-Command', "Import-Module '$WandbRunOpsManifest'; $Script")
                if ($asRoot) { $command = @('setpriv', '--bounding-set', '-dac_override,-dac_read_search') + $command }
                $output = & timeout 120 $command[0] $command[1..($command.Count - 1)]
                $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
                $output
            }
        }

        It '<Level> of <Command> unreadable: <Expected>' -TestCases @(
            @{ Level = 'log'; Command = 'Get-WandbRun'; Expected = 'WandbPermissionDenied for that run' }
            @{ Level = 'folder'; Command = 'Get-WandbRun'; Expected = 'WandbPermissionDenied for that run' }
            @{ Level = 'log'; Command = 'Get-RunConfig'; Expected = 'WandbPermissionDenied for that run' }
            @{ Level = 'folder'; Command = 'Get-RunSummary'; Expected = 'WandbPermissionDenied for that run' }
            @{ Level = 'file'; Command = 'Get-RunSummary'; Expected = 'a warning' }
            @{ Level = 'files'; Command = 'Get-WandbRun'; Expected = 'a warning' }
        ) {
            $wandb = New-RunCopy "denied-$Level-$Command"
            $folder = Get-RunFolder $wandb 'fin0002b'
            $locked = switch ($Level) {
                'log' { Join-Path $folder 'run-fin0002b.wandb' }
                'folder' { $folder }
                'file' { Join-Path $folder 'files/wandb-summary.json' }
                'files' { Join-Path $folder 'files' }
            }
            & chmod 000 $locked
            try {
                $lines = Invoke-Unprivileged "`$r = $Command -Path '$wandb' -ErrorVariable ev -WarningVariable wv -ErrorAction SilentlyContinue -WarningAction SilentlyContinue; 'COUNT ' + @(`$r).Count; `$ev | ForEach-Object { 'ERR ' + `$_.FullyQualifiedErrorId + ' ' + `$_.CategoryInfo.Category + ' ' + `$_.TargetObject }; `$wv | ForEach-Object { 'WARN ' + `$_ }"
            }
            finally {
                & chmod 700 $locked
            }

            $errors = @($lines | Where-Object { $_ -like 'ERR *' })
            $warnings = @($lines | Where-Object { $_ -like 'WARN *' })
            if ($Expected -like 'WandbPermissionDenied*') {
                $lines | Should -Contain 'COUNT 7'
                $errors | Should -HaveCount 1
                $errors[0] | Should -BeLike "ERR WandbPermissionDenied,* PermissionDenied $locked"
            }
            else {
                $lines | Should -Contain 'COUNT 8'
                $errors | Should -BeNullOrEmpty
                ($warnings -join "`n") | Should -BeLike "*$locked*"
            }
        }

        It 'an unreadable wandb folder is WandbPermissionDenied for that path, and another path still lists' {
            $wandb = New-RunCopy 'denied-parent'
            $other = New-RunCopy 'readable-other'
            & chmod 000 $wandb
            try {
                $lines = Invoke-Unprivileged "`$r = Get-WandbRun -Path '$wandb','$other' -ErrorVariable ev -ErrorAction SilentlyContinue; 'COUNT ' + @(`$r).Count; `$ev | ForEach-Object { 'ERR ' + `$_.FullyQualifiedErrorId + ' ' + `$_.TargetObject }"
            }
            finally {
                & chmod 700 $wandb
            }

            $lines | Should -Contain 'COUNT 8'
            $lines | Should -Contain "ERR WandbPermissionDenied,WandbRunOps.Commands.GetWandbRunCommand $wandb"
        }
    }
}
