# Get-WandbRun against the sample runs (see samples/README.md): one object per run id, oldest first, with typed
# values that Where-Object, Sort-Object, Group-Object and Measure-Object can use as they are.

BeforeAll {
    . $PSScriptRoot/common.ps1
    $script:wandb = New-SampleRuns -Path (Join-Path $TestDrive 'samples')
    $script:runs = @(Get-WandbRun -Path $wandb)
    $script:byId = @{}
    foreach ($run in $runs) { $byId[$run.Id] = $run }
    # Every sample time derives from the writer's anchor: the moment live006f was last active.
    $script:anchor = $byId['live006f'].HeartbeatAt
}

Describe 'Get-WandbRun' {
    Context 'reading a wandb folder' {
        It 'returns each of the eight sample runs once, oldest first' {
            $runs | Should -HaveCount 8
            ($runs | ForEach-Object { $_.Id }) -join ',' |
                Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d,crsh005e,offl008h,live006f'
        }

        It 'returns WandbRun objects' {
            foreach ($run in $runs) {
                $run | Should -BeOfType 'WandbRunOps.Model.WandbRun'
            }
        }

        It 'gives <Id> the display name <Name>' -TestCases @(
            @{ Id = 'fin0001a'; Name = 'brisk-river-1' }
            @{ Id = 'fin0002b'; Name = 'calm-forest-2' }
            @{ Id = 'fin0003c'; Name = 'dry-meadow-3' }
            @{ Id = 'fail004d'; Name = 'wild-storm-4' }
            @{ Id = 'crsh005e'; Name = 'lost-cloud-5' }
            @{ Id = 'live006f'; Name = 'eager-sun-6' }
            @{ Id = 'resu007g'; Name = 'second-wind-7' }
            @{ Id = 'offl008h'; Name = 'quiet-lake-8' }
        ) {
            $byId[$Id].Name | Should -BeExactly $Name
            $byId[$Id].DisplayName | Should -BeExactly $Name
            $byId[$Id].RunId | Should -BeExactly $Id
        }

        It 'puts every run in project mnist-sweep, and all but the offline run in entity acme-ml' {
            foreach ($run in $runs) {
                $run.Project | Should -BeExactly 'mnist-sweep'
            }
            ($runs | Where-Object { $_.Entity -eq 'acme-ml' } | ForEach-Object { $_.Id }) | Should -Not -Contain 'offl008h'
            $byId['offl008h'].Entity | Should -BeNullOrEmpty
            ($runs | Where-Object { $_.Entity -eq 'acme-ml' }) | Should -HaveCount 7
        }
    }

    Context 'state and exit code' {
        It 'reads <Id> as <State>' -TestCases @(
            @{ Id = 'fin0001a'; State = 'Finished'; ExitCode = 0 }
            @{ Id = 'fin0002b'; State = 'Finished'; ExitCode = 0 }
            @{ Id = 'fin0003c'; State = 'Finished'; ExitCode = 0 }
            @{ Id = 'fail004d'; State = 'Failed'; ExitCode = 1 }
            @{ Id = 'resu007g'; State = 'Finished'; ExitCode = 0 }
            @{ Id = 'offl008h'; State = 'Finished'; ExitCode = 0 }
        ) {
            $byId[$Id].State | Should -Be ([WandbRunOps.Model.RunState]$State)
            $byId[$Id].ExitCode | Should -Be $ExitCode
        }

        It 'reads the run without an exit record and no recent activity as Crashed, with no exit code' {
            $byId['crsh005e'].State | Should -Be ([WandbRunOps.Model.RunState]::Crashed)
            $byId['crsh005e'].ExitCode | Should -BeNullOrEmpty
        }

        It 'reads the run that was active moments ago as Running, with no exit code' {
            $byId['live006f'].State | Should -Be ([WandbRunOps.Model.RunState]::Running)
            $byId['live006f'].ExitCode | Should -BeNullOrEmpty
        }

        It 'makes State an enum that compares with a plain string, as Where-Object users write it' {
            $byId['fail004d'].State | Should -BeOfType 'WandbRunOps.Model.RunState'
            ($runs | Where-Object State -eq 'Failed' | ForEach-Object { $_.Id }) | Should -Be 'fail004d'
        }
    }

    Context 'times' {
        It 'gives CreatedAt and HeartbeatAt as UTC DateTimes' {
            foreach ($run in $runs) {
                $run.CreatedAt | Should -BeOfType 'System.DateTime'
                $run.HeartbeatAt | Should -BeOfType 'System.DateTime'
                $run.CreatedAt.Kind | Should -Be ([System.DateTimeKind]::Utc)
                $run.HeartbeatAt.Kind | Should -Be ([System.DateTimeKind]::Utc)
                $run.HeartbeatAt | Should -BeGreaterOrEqual $run.CreatedAt
            }
        }

        It 'dates the running run to the last few minutes' {
            $age = [datetime]::UtcNow - $byId['live006f'].HeartbeatAt
            $age.TotalMinutes | Should -BeLessThan 5
            $age.TotalSeconds | Should -BeGreaterOrEqual 0
        }

        It 'created <Id> <Before> before the latest activity in the set' -TestCases @(
            @{ Id = 'fin0001a'; Before = '6.00:00:00' }
            @{ Id = 'resu007g'; Before = '5.00:00:00' }
            @{ Id = 'fin0002b'; Before = '4.00:00:00' }
            @{ Id = 'fin0003c'; Before = '3.00:00:00' }
            @{ Id = 'fail004d'; Before = '2.00:00:00' }
            @{ Id = 'crsh005e'; Before = '1.00:00:00' }
            @{ Id = 'offl008h'; Before = '1.00:00:00' }
            @{ Id = 'live006f'; Before = '00:10:00' }
        ) {
            ($anchor - $byId[$Id].CreatedAt) | Should -Be ([timespan]$Before)
        }

        It 'gives <Id> a wall-clock Runtime of <Runtime>' -TestCases @(
            @{ Id = 'fin0001a'; Runtime = '00:30:00' }
            @{ Id = 'fin0002b'; Runtime = '01:15:00' }
            @{ Id = 'fin0003c'; Runtime = '00:15:00' }
            @{ Id = 'fail004d'; Runtime = '00:05:00' }
            @{ Id = 'crsh005e'; Runtime = '00:20:00' }
            @{ Id = 'offl008h'; Runtime = '00:10:00' }
            @{ Id = 'live006f'; Runtime = '00:10:00' }
            # Resumed: first folder 0:00-0:25, second folder 2:00-2:25 after the first start.
            @{ Id = 'resu007g'; Runtime = '02:25:00' }
        ) {
            $byId[$Id].Runtime | Should -BeOfType 'System.TimeSpan'
            $byId[$Id].Runtime | Should -Be ([timespan]$Runtime)
            $byId[$Id].Runtime | Should -Be ($byId[$Id].HeartbeatAt - $byId[$Id].CreatedAt)
        }

        It 'gives the runtime the SDK reported for <Id> as <Seconds> seconds' -TestCases @(
            @{ Id = 'fin0001a'; Seconds = 1800 }
            @{ Id = 'resu007g'; Seconds = 3000 }
            @{ Id = 'fin0002b'; Seconds = 4500 }
            @{ Id = 'fin0003c'; Seconds = 900 }
            @{ Id = 'fail004d'; Seconds = 300 }
            @{ Id = 'crsh005e'; Seconds = 1200 }
            @{ Id = 'offl008h'; Seconds = 600 }
        ) {
            $byId[$Id].ReportedSeconds | Should -BeOfType 'System.Double'
            $byId[$Id].ReportedSeconds | Should -Be $Seconds
        }

        It 'has no reported runtime for the run still going' {
            $byId['live006f'].ReportedSeconds | Should -BeNullOrEmpty
        }

        It 'keeps only recent runs when filtered on CreatedAt' {
            $since = [datetime]::UtcNow.AddDays(-3.5)
            $recent = $runs | Where-Object CreatedAt -gt $since | ForEach-Object { $_.Id }
            $recent | Should -HaveCount 5
            foreach ($id in 'fin0003c', 'fail004d', 'crsh005e', 'offl008h', 'live006f') {
                $recent | Should -Contain $id
            }
        }
    }

    Context 'run details' {
        It 'reads group, sweep, tags, user, host and job type' {
            $byId['fin0001a'].Group | Should -BeExactly 'baseline'
            $byId['fin0002b'].Group | Should -BeNullOrEmpty
            $byId['fin0002b'].SweepId | Should -BeExactly 'swp01'
            $byId['fin0002b'].Tags -is [System.Collections.Generic.IReadOnlyList[string]] | Should -BeTrue
            $byId['fin0002b'].Tags -join ',' | Should -BeExactly 'sweep,best'
            $byId['fin0001a'].Username | Should -BeExactly 'ana'
            $byId['fin0002b'].Username | Should -BeExactly 'ben'
            $byId['fin0001a'].Host | Should -BeExactly 'gpu-box-1'
            $byId['fin0001a'].JobType | Should -BeExactly 'train'
        }

        It 'finds the runs of sweep swp01' {
            $sweep = $runs | Where-Object SweepId -eq 'swp01' | ForEach-Object { $_.Id }
            $sweep -join ',' | Should -Be 'fin0002b,fin0003c,fail004d'
        }

        It 'finds the runs tagged sweep' {
            ($runs | Where-Object { $_.Tags -contains 'sweep' } | ForEach-Object { $_.Id }) -join ',' |
                Should -Be 'fin0002b,fin0003c,fail004d'
        }

        It 'counts the history rows of <Id> as <Count>' -TestCases @(
            @{ Id = 'fin0001a'; Count = 10 }
            @{ Id = 'fail004d'; Count = 5 }
            @{ Id = 'crsh005e'; Count = 8 }
            @{ Id = 'resu007g'; Count = 10 }
            @{ Id = 'live006f'; Count = 0 }
        ) {
            $byId[$Id].HistoryCount | Should -BeOfType 'System.Int64'
            $byId[$Id].HistoryCount | Should -Be $Count
        }

        It 'points Path at the run folder' {
            Split-Path -Leaf $byId['fin0001a'].Path | Should -Match '^run-\d{8}_\d{6}-fin0001a$'
            Split-Path -Leaf $byId['offl008h'].Path | Should -Match '^offline-run-\d{8}_\d{6}-offl008h$'
            Test-Path -LiteralPath $byId['fin0001a'].Path -PathType Container | Should -BeTrue
        }

        It 'joins the two folders of the resumed run into one run whose Path is the newer folder' {
            $resumed = $byId['resu007g']
            $resumed.Folders | Should -HaveCount 2
            $resumed.Path | Should -Be $resumed.Folders[1]
            $resumed.Config.epochs | Should -Be 10
            $resumed.Summary.accuracy | Should -Be 0.89
        }
    }

    Context 'config and summary maps' {
        It 'exposes config keys as properties with typed values' {
            $config = $byId['fin0001a'].Config
            $config.learning_rate | Should -BeOfType 'System.Double'
            $config.learning_rate | Should -Be 0.001
            $config.batch_size | Should -BeOfType 'System.Int64'
            $config.batch_size | Should -Be 64
            $config.epochs | Should -Be 10
            $config.architecture | Should -BeExactly 'cnn-small'
            $config['data.augment'] | Should -BeTrue
        }

        It 'keeps nested config as a map: optimizer.name and optimizer.beta1' {
            $byId['fin0001a'].Config.optimizer.name | Should -BeExactly 'adam'
            $byId['fin0001a'].Config.optimizer.beta1 | Should -Be 0.9
        }

        It 'has no architecture key for the run that removed it' {
            $byId['offl008h'].Config.ContainsKey('architecture') | Should -BeFalse
            $byId['fin0001a'].Config.ContainsKey('architecture') | Should -BeTrue
            $byId['offl008h'].Config.architecture | Should -BeNullOrEmpty
        }

        It 'gives the learning rate of <Id> as <Rate>' -TestCases @(
            @{ Id = 'fin0001a'; Rate = 0.001 }
            @{ Id = 'fin0002b'; Rate = 0.01 }
            @{ Id = 'fin0003c'; Rate = 0.05 }
            @{ Id = 'fail004d'; Rate = 0.1 }
            @{ Id = 'crsh005e'; Rate = 0.02 }
            @{ Id = 'live006f'; Rate = 0.005 }
            @{ Id = 'resu007g'; Rate = 0.003 }
            @{ Id = 'offl008h'; Rate = 0.001 }
        ) {
            $byId[$Id].Config.learning_rate | Should -Be $Rate
        }

        It 'exposes summary metrics, with NaN and Infinity kept as doubles' {
            $byId['fin0002b'].Summary.accuracy | Should -Be 0.95
            $byId['fin0002b'].Summary.loss | Should -Be 0.18
            $byId['fail004d'].Summary.accuracy | Should -BeOfType 'System.Double'
            [double]::IsNaN($byId['fail004d'].Summary.accuracy) | Should -BeTrue
            [double]::IsPositiveInfinity($byId['fail004d'].Summary.loss) | Should -BeTrue
        }

        It 'derives the crashed run''s summary from its history' {
            $byId['crsh005e'].Summary.accuracy | Should -Be 0.8
            $byId['crsh005e'].Summary.loss | Should -Be 0.55
        }

        It 'round-trips a run''s config through ConvertTo-Json' {
            $json = $byId['fin0001a'].Config | ConvertTo-Json -Depth 5
            $back = $json | ConvertFrom-Json
            $back.learning_rate | Should -Be 0.001
            $back.batch_size | Should -Be 64
            $back.optimizer.name | Should -BeExactly 'adam'
            $back.'data.augment' | Should -BeTrue
        }
    }

    Context 'choosing runs' {
        It 'selects runs by id' {
            $picked = @(Get-WandbRun -Path $wandb -Id 'fin0002b', 'fail004d')
            ($picked | ForEach-Object { $_.Id }) -join ',' | Should -Be 'fin0002b,fail004d'
        }

        It 'selects runs by id wildcard' {
            $picked = @(Get-WandbRun -Path $wandb -Id 'fin*')
            ($picked | ForEach-Object { $_.Id }) -join ',' | Should -Be 'fin0001a,fin0002b,fin0003c'
        }

        It 'selects runs by display name, wildcards allowed' {
            (Get-WandbRun -Path $wandb -Name 'calm-forest-2').Id | Should -Be 'fin0002b'
            (Get-WandbRun -Path $wandb -Name '*-storm-*').Id | Should -Be 'fail004d'
        }

        It 'writes nothing and no error for a wildcard that matches no run' {
            $found = Get-WandbRun -Path $wandb -Id 'zz*' -ErrorVariable err
            $found | Should -BeNullOrEmpty
            $err | Should -BeNullOrEmpty
        }

        It 'pages with -First and -Skip' {
            (Get-WandbRun -Path $wandb -First 2 | ForEach-Object { $_.Id }) -join ',' | Should -Be 'fin0001a,resu007g'
            (Get-WandbRun -Path $wandb -Skip 6 | ForEach-Object { $_.Id }) -join ',' | Should -Be 'offl008h,live006f'
        }

        It 'reports the total number of runs with -IncludeTotalCount, not just the page' {
            $out = @(Get-WandbRun -Path $wandb -First 1 -IncludeTotalCount)
            $out | Should -HaveCount 2
            $page = @($out | Where-Object { $_ -is [WandbRunOps.Model.WandbRun] })
            $page | Should -HaveCount 1
            $page[0].Id | Should -Be 'fin0001a'
            $total = @($out | Where-Object { $_ -is [System.UInt64] })
            $total | Should -HaveCount 1
            [long]$total[0] | Should -Be 8
        }
    }

    Context 'filters as the output reads' {
        It 'matches -Filter state values in any case (the output shows Finished)' {
            $finished = @(Get-WandbRun -Path $wandb -State Finished).Id -join ','
            $finished | Should -Not -BeNullOrEmpty
            @(Get-WandbRun -Path $wandb -Filter @{ state = 'Finished' }).Id -join ',' | Should -Be $finished
            @(Get-WandbRun -Path $wandb -Filter '{"state": {"$in": ["FINISHED"]}}').Id -join ',' | Should -Be $finished
        }

        It 'refuses a state W&B does not have as WandbInvalidFilter' {
            $caught = $null
            try { Get-WandbRun -Path $wandb -Filter @{ state = 'done' } } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'WandbInvalidFilter,*'
            $caught.Exception.Message | Should -BeLike '*done is not a W&B run state*finished*'
        }

        It 'selects runs that have every -Tag' {
            @(Get-WandbRun -Path $wandb -Tag sweep, best).Id | Should -Be @('fin0002b')
        }
    }

    Context 'malformed wildcards' {
        It 'refuses <Parameter> <Pattern> as WandbInvalidArgument naming the pattern, as -like refuses it' -TestCases @(
            @{ Parameter = 'Id'; Pattern = '[]' }
            @{ Parameter = 'Name'; Pattern = 'a[b-a]' }
            @{ Parameter = 'Id'; Pattern = 'fin[0' }
        ) {
            { 'x' -like $Pattern } | Should -Throw
            $arguments = @{ Path = $wandb; $Parameter = $Pattern }
            $caught = $null
            try { Get-WandbRun @arguments } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
            $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $caught.TargetObject | Should -Be $Pattern
            $Error[0].Exception | Should -BeOfType [WandbRunOps.Errors.WandbException]
        }

        It 'matches brackets and backticks as -like does' {
            @(Get-WandbRun -Path $wandb -Id 'fin000[1-2]?').Id -join ',' | Should -Be 'fin0001a,fin0002b'
            @(Get-WandbRun -Path $wandb -Id 'fin000[]1]a').Id | Should -Be @('fin0001a')
        }
    }

    Context 'deep and cyclic arguments (run in a child PowerShell: a regression would end the process)' {
        BeforeAll {
            # One child PowerShell runs every case (a process per case would cost seconds each). Each case prints its
            # name and its error id (or the ids of the runs it got); DONE shows the process lived to the end.
            $script:deepCases = [ordered]@{
                'deep-hashtable' = '$h = @{ state = ''finished'' }; 1..10000 | ForEach-Object { $h = @{ ''$and'' = @($h) } }; Get-WandbRun -Path $w -Filter $h'
                'cyclic-hashtable' = '$h = @{}; $h[''$and''] = @($h); Get-WandbRun -Path $w -Filter $h'
                'cyclic-object' = '$o = [pscustomobject]@{ state = ''finished'' }; $o | Add-Member -NotePropertyName ''$or'' -NotePropertyValue @($o); Get-WandbRun -Path $w -Filter $o'
                'cyclic-list' = '$l = [System.Collections.ArrayList]::new(); $null = $l.Add($l); Get-WandbRun -Path $w -Filter @{ ''$or'' = $l }'
                'deep-where' = '$e = ''$_.State -eq ''''finished''''''; 1..1000 | ForEach-Object { $e = ''($_.Id -eq ''''a'' + $_ + '''''' -or ('' + $e + '' -and $_.Name -eq ''''n''''))'' }; Get-WandbRun -Path $w -Where ([scriptblock]::Create($e))'
            }
            $script = "Import-Module '$WandbRunOpsManifest' -ErrorAction Stop; `$w = '$wandb'; "
            foreach ($case in $deepCases.GetEnumerator()) {
                $script += "try { `$ids = @($($case.Value) -ErrorAction Stop | ForEach-Object Id); '$($case.Key): IDS ' + (`$ids -join ',') } catch { '$($case.Key): ' + `$_.FullyQualifiedErrorId + ' ' + `$_.Exception.Message }; "
            }

            $shell = Get-PowerShellCommand
            $script:childOutput = @(& $shell.FilePath @($shell.Arguments + @('-NoProfile', '-NonInteractive', '-Command', $script + "'DONE'")))
            $script:childExit = $LASTEXITCODE
        }

        It 'lives to the end of the cases (a stack overflow would end it with exit code 134)' {
            $childExit | Should -Be 0 -Because ($childOutput -join [System.Environment]::NewLine)
            $childOutput | Should -Contain 'DONE'
        }

        It 'refuses the <Case> argument as WandbInvalidFilter' -TestCases @(
            @{ Case = 'deep-hashtable'; Reason = 'nests deeper than 256 levels' }
            @{ Case = 'cyclic-hashtable'; Reason = 'contains itself' }
            @{ Case = 'cyclic-object'; Reason = 'contains itself' }
            @{ Case = 'cyclic-list'; Reason = 'contains itself' }
            @{ Case = 'deep-where'; Reason = 'nests' }
        ) {
            $line = $childOutput | Where-Object { $_ -like "${Case}: *" }
            $line | Should -BeLike "${Case}: WandbInvalidFilter,WandbRunOps.Commands.GetWandbRunCommand *" -Because ($childOutput -join [System.Environment]::NewLine)
            $line | Should -Match ([regex]::Escape($Reason))
        }

        It 'keeps the same hashtable used twice side by side (no cycle)' {
            $same = @{ state = 'finished' }
            @(Get-WandbRun -Path $wandb -Filter @{ '$or' = @($same, $same) }).Id -join ',' | Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,offl008h'
        }

        It 'translates a -Where chain of 3,000 -or comparisons as one flat $or' {
            $sb = [scriptblock]::Create(((1..3000 | ForEach-Object { '$_.Id -eq ''r' + $_ + '''' }) + '$_.Id -eq ''fin0002b''') -join ' -or ')
            @(Get-WandbRun -Path $wandb -Where $sb -ErrorAction Stop).Id | Should -Be @('fin0002b')
        }
    }

    Context 'malformed wildcards in -Path' {
        It 'refuses -Path <Tail> under the wandb folder as WandbInvalidArgument naming it, and reads the other paths' -TestCases @(
            @{ Tail = '[' }
            @{ Tail = '[]' }
        ) {
            $bad = Join-Path $wandb $Tail
            $errors = $null
            $out = @(Get-WandbRun -Path $bad, $wandb -ErrorVariable errors -ErrorAction SilentlyContinue)
            $out | Should -HaveCount 8
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'WandbInvalidArgument,*'
            $errors[0].TargetObject | Should -Be $bad
            $errors[0].Exception.Message | Should -Match 'not a valid wildcard pattern'
        }

        It 'reports a -Path wildcard that matches nothing as WandbPathNotFound, and reads the other paths' {
            $none = Join-Path $wandb 'zzz*'
            $errors = $null
            @(Get-WandbRun -Path $none, $wandb -ErrorVariable errors -ErrorAction SilentlyContinue) | Should -HaveCount 8
            @($errors.FullyQualifiedErrorId) | Should -Be @('WandbPathNotFound,WandbRunOps.Commands.GetWandbRunCommand')
            $errors[0].TargetObject | Should -Be $none
        }

        It 'refuses -Id ''<Pattern>'' and -Name ''['' as WandbInvalidArgument' -TestCases @(
            @{ Pattern = '[' }
            @{ Pattern = '[a-' }
        ) {
            { Get-WandbRun -Path $wandb -Id $Pattern -ErrorAction Stop } | Should -Throw -ErrorId 'WandbInvalidArgument,WandbRunOps.Commands.GetWandbRunCommand'
            { Get-WandbRun -Path $wandb -Name '[' -ErrorAction Stop } | Should -Throw -ErrorId 'WandbInvalidArgument,WandbRunOps.Commands.GetWandbRunCommand'
        }
    }

    Context 'a run that is not there' {
        It 'writes a WandbRunNotFound error naming the missing id and carries on' {
            $found = @(Get-WandbRun -Path $wandb -Id 'fin0001a', 'nosuch01' -ErrorAction SilentlyContinue -ErrorVariable err)
            ($found | ForEach-Object { $_.Id }) | Should -Be 'fin0001a'
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $err[0].TargetObject | Should -BeExactly 'nosuch01'
        }

        It 'writes the same error for a display name that matches nothing' {
            Get-WandbRun -Path $wandb -Name 'no-such-name' -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbRunNotFound,*'
            $err[0].TargetObject | Should -BeExactly 'no-such-name'
        }

        It 'lets -ErrorAction Stop make a missing run catchable' {
            { Get-WandbRun -Path $wandb -Id 'nosuch01' -ErrorAction Stop } | Should -Throw -ErrorId 'WandbRunNotFound,*'
            $caught = $null
            try {
                Get-WandbRun -Path $wandb -Id 'nosuch01' -ErrorAction Stop
            }
            catch {
                $caught = $_
            }
            $caught | Should -Not -BeNullOrEmpty
            $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
            $caught.TargetObject | Should -BeExactly 'nosuch01'
        }

        It 'writes a WandbPathNotFound error for a path that does not exist' {
            $missing = Join-Path $TestDrive 'no-such-folder'
            Get-WandbRun -Path $missing -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'WandbPathNotFound,*'
            $err[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::ObjectNotFound)
        }
    }

    Context 'where the runs come from' {
        It 'reads ./wandb when no path is given' {
            Push-Location -LiteralPath (Split-Path -Parent $wandb)
            try {
                $here = @(Get-WandbRun)
            }
            finally {
                Pop-Location
            }
            $here | Should -HaveCount 8
        }

        It 'stops with WandbNoSource when there is no path and no ./wandb' {
            $empty = Join-Path $TestDrive 'empty'
            New-Item -ItemType Directory -Path $empty -Force | Out-Null
            Push-Location -LiteralPath $empty
            try {
                { Get-WandbRun } | Should -Throw -ErrorId 'WandbNoSource,*'
            }
            finally {
                Pop-Location
            }
        }

        It 'reads one run folder' {
            $folder = $byId['fin0003c'].Path
            $one = @(Get-WandbRun -Path $folder)
            $one | Should -HaveCount 1
            $one[0].Id | Should -Be 'fin0003c'
        }

        It 'reads a .wandb log file' {
            $log = Join-Path $byId['fin0001a'].Path 'run-fin0001a.wandb'
            (Get-WandbRun -Path $log).Id | Should -Be 'fin0001a'
        }

        It 'reads a path given with -LiteralPath' {
            (Get-WandbRun -LiteralPath $byId['fin0002b'].Path).Id | Should -Be 'fin0002b'
        }

        It 'takes folders from Get-ChildItem and yields the resumed run once' {
            $piped = @(Get-ChildItem -LiteralPath $wandb -Directory | Get-WandbRun)
            $piped | Should -HaveCount 8
            ($piped | ForEach-Object { $_.Id } | Sort-Object) -join ',' |
                Should -Be 'crsh005e,fail004d,fin0001a,fin0002b,fin0003c,live006f,offl008h,resu007g'
            ($piped | Where-Object Id -eq 'resu007g').Folders | Should -HaveCount 2
        }
    }

    Context 'composition with the PowerShell cmdlets' {
        It 'sorts by CreatedAt newest first' {
            (Get-WandbRun -Path $wandb | Sort-Object CreatedAt -Descending | Select-Object -First 1).Id | Should -Be 'live006f'
        }

        It 'sorts by the run itself, oldest first' {
            (Get-WandbRun -Path $wandb | Sort-Object | Select-Object -Last 1).Id | Should -Be 'live006f'
            (Get-WandbRun -Path $wandb | Sort-Object | Select-Object -First 1).Id | Should -Be 'fin0001a'
        }

        It 'sorts by Runtime' {
            $longest = Get-WandbRun -Path $wandb | Sort-Object Runtime -Descending | Select-Object -First 2
            ($longest | ForEach-Object { $_.Id }) -join ',' | Should -Be 'resu007g,fin0002b'
        }

        It 'groups by State' {
            $groups = Get-WandbRun -Path $wandb | Group-Object State
            ($groups | Where-Object Name -eq 'Finished').Count | Should -Be 5
            ($groups | Where-Object Name -eq 'Failed').Count | Should -Be 1
            ($groups | Where-Object Name -eq 'Crashed').Count | Should -Be 1
            ($groups | Where-Object Name -eq 'Running').Count | Should -Be 1
        }

        It 'groups by user' {
            $groups = Get-WandbRun -Path $wandb | Group-Object Username -AsHashTable -AsString
            $groups['ben'] | Should -HaveCount 2
            $groups['ana'] | Should -HaveCount 6
        }

        It 'measures the history rows with Measure-Object' {
            $measure = Get-WandbRun -Path $wandb | Measure-Object HistoryCount -Sum -Maximum
            $measure.Count | Should -Be 8
            # fin0001a 10, resu007g 5 + 5, fin0002b 10, fin0003c 10, fail004d 5, crsh005e 8, offl008h 10, live006f 0
            $measure.Sum | Should -Be 63
            $measure.Maximum | Should -Be 10
        }

        It 'selects properties by name' {
            $row = Get-WandbRun -Path $wandb -Id fin0001a | Select-Object Id, State, Runtime
            $row.Id | Should -Be 'fin0001a'
            $row.Runtime | Should -Be ([timespan]::FromMinutes(30))
        }

        It 'selects config values with a calculated property' {
            $rows = Get-WandbRun -Path $wandb | Select-Object Id, @{ Name = 'lr'; Expression = { $_.Config.learning_rate } }
            ($rows | Where-Object lr -gt 0.01 | ForEach-Object { $_.Id }) -join ',' | Should -Be 'fin0003c,fail004d,crsh005e'
        }

        It 'shows name, state and runtime in the default table' {
            $text = Get-WandbRun -Path $wandb -Id fin0002b | Out-String -Width 200
            $text | Should -Match 'calm-forest-2'
            $text | Should -Match 'Finished'
            $text | Should -Match '1:15:00'
        }
    }

    Context 'times come from the runs themselves, never from file write times' {
        BeforeAll {
            # A fresh clone, copy or rsync: the committed snapshot (dated 2026-11-20) with every file written just now.
            $script:clone = Join-Path $TestDrive 'clone/wandb'
            Copy-Item -LiteralPath (Join-Path $WandbRunOpsRepoRoot 'samples/wandb') -Destination $clone -Recurse
            $script:cloneFiles = @(Get-ChildItem -LiteralPath $clone -Recurse -File)
            foreach ($file in $cloneFiles) { [System.IO.File]::SetLastWriteTimeUtc($file.FullName, [datetime]::UtcNow) }
            $script:expected = @{
                fin0001a = '00:30:00'; fin0002b = '01:15:00'; fin0003c = '00:15:00'; fail004d = '00:05:00'
                crsh005e = '00:20:00'; offl008h = '00:10:00'; live006f = '00:10:00'; resu007g = '02:25:00'
            }
            $script:fixtures = Join-Path (Split-Path -Parent $WandbRunOpsRepoRoot) 'shared/fixtures/wandb-real'
        }

        It 'keeps every Runtime of a fresh clone, where every file was written just now' {
            $cloned = @(Get-WandbRun -Path $clone)
            $cloned | Should -HaveCount 8
            foreach ($run in $cloned) {
                $run.Runtime | Should -Be ([timespan]$expected[$run.Id]) -Because "$($run.Id) recorded its own times"
                $run.HeartbeatAt.Year | Should -Be 2026
            }
        }

        It 'keeps every Runtime when the write times are old, and reads a run without an exit record as Crashed' {
            foreach ($file in $cloneFiles) { [System.IO.File]::SetLastWriteTimeUtc($file.FullName, [datetime]::new(2020, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc)) }
            $old = @(Get-WandbRun -Path $clone)
            foreach ($run in $old) {
                $run.Runtime | Should -Be ([timespan]$expected[$run.Id])
            }
            ($old | Where-Object Id -eq 'live006f').State | Should -Be ([WandbRunOps.Model.RunState]::Crashed)
        }

        It 'reads a copy written a minute ago of a run whose records are days old as Crashed, not Running' {
            foreach ($file in $cloneFiles) { [System.IO.File]::SetLastWriteTimeUtc($file.FullName, [datetime]::UtcNow.AddMinutes(-1)) }
            $copied = Get-WandbRun -Path $clone -Id live006f
            $copied.State | Should -Be ([WandbRunOps.Model.RunState]::Crashed) -Because 'no writer is behind records from 2026-11-20'
            $copied.Runtime | Should -Be ([timespan]'00:10:00')
        }

        It 'gives the header-only run shxi3rh7 a zero Runtime, its start as HeartbeatAt and no reported runtime' {
            if (-not (Test-Path -LiteralPath $fixtures)) { Set-ItResult -Skipped -Because "the real fixtures are not at '$fixtures'"; return }
            $run = Get-WandbRun -Path (Join-Path $fixtures 'sdk-0.22.1-online/wandb') -Id shxi3rh7
            $run.Runtime | Should -Be ([timespan]::Zero)
            $run.HeartbeatAt | Should -Be $run.CreatedAt
            $run.CreatedAt | Should -Be ([datetime]::Parse('2025-10-01T06:52:27.235796Z').ToUniversalTime())
            $run.ReportedSeconds | Should -BeNullOrEmpty
        }
    }

    Context 'damage and noise' {
        BeforeAll {
            $script:fixtures = Join-Path (Split-Path -Parent $WandbRunOpsRepoRoot) 'shared/fixtures/wandb-real'
        }

        It 'lists the real fixtures without a warning; logs cut off at the end say so in LogDamage and -Verbose' {
            if (-not (Test-Path -LiteralPath $fixtures)) { Set-ItResult -Skipped -Because "the real fixtures are not at '$fixtures'"; return }
            $verbose = @(Get-WandbRun -Path (Join-Path $fixtures '*/wandb') -WarningVariable warned -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
            $warned | Should -HaveCount 0
            $listed = @(Get-WandbRun -Path (Join-Path $fixtures '*/wandb') -WarningAction SilentlyContinue)
            $cut = @($listed | Where-Object { $_.LogDamage -like 'cut off at offset *' } | ForEach-Object { $_.Id } | Sort-Object)
            $cut -join ',' | Should -Be '0t11yvt5,3ojed7lz,arwtvc9b,fu2alym7'
            @($listed | Where-Object { $_.LogDamage -like 'only its 7-byte header*' }) | Should -HaveCount 2
            @($verbose | Where-Object { $_ -like '*cut off at offset*' }) | Should -HaveCount 4
        }

        It 'gives one warning per run for damage that loses records, however many folders the run has' {
            $damaged = Join-Path $TestDrive 'damaged/wandb'
            Copy-Item -LiteralPath $wandb -Destination $damaged -Recurse
            # A flipped byte in each log's first record: its checksum fails and the rest of that block is lost.
            $logs = @(Get-ChildItem -LiteralPath $damaged -Recurse -Filter 'run-resu007g.wandb')
            $logs | Should -HaveCount 2
            foreach ($log in $logs) {
                $bytes = [System.IO.File]::ReadAllBytes($log.FullName)
                $bytes[20] = $bytes[20] -bxor 0xFF
                [System.IO.File]::WriteAllBytes($log.FullName, $bytes)
            }
            $runs = @(Get-WandbRun -Path $damaged -WarningVariable warned -WarningAction SilentlyContinue)
            $runs | Should -HaveCount 8
            $warned | Should -HaveCount 1
            "$($warned[0])" | Should -BeLike "Run 'resu007g':*checksum mismatch*"
            ($runs | Where-Object Id -eq 'resu007g').LogDamage | Should -BeLike '*checksum mismatch*'
        }

        It 'shows no progress for a quick read, in a job''s output either' {
            $job = Start-Job -ScriptBlock { Import-Module $using:WandbRunOpsManifest; Get-WandbRun -Path $using:wandb } | Wait-Job
            try {
                @($job | Receive-Job) | Should -HaveCount 8
                $job.ChildJobs[0].Progress | Should -HaveCount 0
            }
            finally {
                $job | Remove-Job -Force
            }
        }
    }

    Context 'folders that do not fit the SDK''s layout: decided, and said in a warning' {
        BeforeAll {
            $script:odd = New-SampleRuns -Path (Join-Path $TestDrive 'odd')
            $folder = { param($id) (Get-ChildItem -LiteralPath $odd -Directory | Where-Object Name -like "*-$id").FullName }
            # A renamed copy of a run folder, a folder with a second log, a log named for another run.
            Copy-Item -LiteralPath (& $folder 'fin0003c') -Destination (Join-Path $odd 'backup') -Recurse
            Copy-Item -LiteralPath (Join-Path (& $folder 'fin0001a') 'run-fin0001a.wandb') -Destination (& $folder 'fail004d')
            Rename-Item -LiteralPath (Join-Path (& $folder 'fin0002b') 'run-fin0002b.wandb') -NewName 'run-fin0003c.wandb'
            $script:oddWarnings = $null
            $script:oddRuns = @(Get-WandbRun -Path $odd -WarningVariable oddWarnings -WarningAction SilentlyContinue)
        }

        It 'lists every run once, under its folder''s id' {
            ($oddRuns.Id -join ',') | Should -Be 'fin0001a,resu007g,fin0002b,fin0003c,fail004d,crsh005e,offl008h,live006f'
            @($oddRuns | Where-Object Id -eq 'fin0003c').Folders | Should -HaveCount 1
            ($oddRuns | Where-Object Id -eq 'fin0002b').Name | Should -Be 'calm-forest-2'
        }

        It 'warns once for each: the folder skipped, the second log ignored, the log named for another run' {
            $oddWarnings | Should -HaveCount 3
            ($oddWarnings -join "`n") | Should -Match ([regex]::Escape((Join-Path $odd 'backup')) + "' holds a run log but is not named like a run folder")
            ($oddWarnings -join "`n") | Should -Match "'run-fin0001a\.wandb' ignored"
            ($oddWarnings -join "`n") | Should -Match "named for run 'fin0002b' but its log is 'run-fin0003c\.wandb'"
        }

        It 'shows a log copied in from another run under the folder''s id, so no id is listed twice' {
            $copied = New-SampleRuns -Path (Join-Path $TestDrive 'copied')
            $target = (Get-ChildItem -LiteralPath $copied -Directory | Where-Object Name -like '*-fin0002b').FullName
            $source = (Get-ChildItem -LiteralPath $copied -Directory | Where-Object Name -like '*-fin0003c').FullName
            Remove-Item -LiteralPath (Join-Path $target 'run-fin0002b.wandb')
            Copy-Item -LiteralPath (Join-Path $source 'run-fin0003c.wandb') -Destination $target
            $copiedWarnings = $null
            $listed = @(Get-WandbRun -Path $copied -WarningVariable copiedWarnings -WarningAction SilentlyContinue)
            @($listed | Group-Object Id | Where-Object Count -gt 1) | Should -HaveCount 0
            ($listed | Where-Object Id -eq 'fin0002b').Path | Should -Be $target
            ($listed | Where-Object Id -eq 'fin0003c').Path | Should -Be $source
            ($copiedWarnings -join "`n") | Should -Match "named for run 'fin0002b' but its log is 'run-fin0003c\.wandb'"
        }

        It 'reads the renamed copy when it is named with -Path' {
            (Get-WandbRun -Path (Join-Path $odd 'backup')).Id | Should -Be 'fin0003c'
        }

        It 'gives the sample runs, which fit, no warning' {
            $clean = $null
            $null = Get-WandbRun -Path $wandb -WarningVariable clean -WarningAction SilentlyContinue
            $clean | Should -HaveCount 0
        }
    }

    Context 'links to run folders' {
        BeforeAll {
            $script:fixtures = Join-Path (Split-Path -Parent $WandbRunOpsRepoRoot) 'shared/fixtures/wandb-real'
        }

        It 'reads wandb/latest-run, the SDK''s link to the newest run, as that run' {
            $linked = Join-Path $TestDrive 'linked/wandb'
            Copy-Item -LiteralPath $wandb -Destination $linked -Recurse
            $target = (Get-ChildItem -LiteralPath $linked -Directory -Filter '*-live006f').FullName
            try {
                New-Item -ItemType SymbolicLink -Path (Join-Path $linked 'latest-run') -Target $target -ErrorAction Stop | Out-Null
            }
            catch {
                Set-ItResult -Skipped -Because "this system cannot create a symbolic link: $_"; return
            }
            $run = Get-WandbRun -Path (Join-Path $linked 'latest-run')
            $run.Id | Should -Be 'live006f'
            $run.Path | Should -Be $target
            # Listing the wandb folder does not count the link as a ninth run.
            @(Get-WandbRun -Path $linked) | Should -HaveCount 8
            @(Get-WandbRun -Path (Join-Path $linked 'latest-run'), $linked) | Should -HaveCount 8
        }

        It 'reads latest-run checked out by git as a text file naming the run folder' {
            if (-not (Test-Path -LiteralPath $fixtures)) { Set-ItResult -Skipped -Because "the real fixtures are not at '$fixtures'"; return }
            $latest = Join-Path $fixtures 'sdk-0.12.15-online/wandb/latest-run'
            Test-Path -LiteralPath $latest -PathType Leaf | Should -BeTrue
            (Get-WandbRun -Path $latest).Id | Should -Be '3ojed7lz'
        }
    }

    Context 'pipeline binding (a string is an id; objects bind by RunId or Id, with their path or project)' {
        BeforeAll {
            Push-Location (Split-Path -Parent $wandb)
        }

        AfterAll {
            Pop-Location
        }

        It 'takes a plain string piped in as a run id, as ''pwsh'' | Get-Process takes a name' {
            @('fin0001a' | Get-WandbRun).Id | Should -Be @('fin0001a')
            ('fin0002b', 'fin0003c' | Get-WandbRun).Id -join ',' | Should -Be 'fin0002b,fin0003c'
        }

        It 'takes a run id as its first positional argument' {
            @(Get-WandbRun fin0001a).Id | Should -Be @('fin0001a')
            (Get-WandbRun fin0002b, 'fail*').Id -join ',' | Should -Be 'fin0002b,fail004d'
        }

        It 'takes a [pscustomobject] with an Id property' {
            @([pscustomobject]@{ Id = 'fin0003c' } | Get-WandbRun).Id | Should -Be @('fin0003c')
        }

        It 'takes the rows of a CSV written from <Source>, with their folders' -TestCases @(
            @{ Source = 'Get-WandbRun'; Write = { Get-WandbRun -Path $wandb | Export-Csv -LiteralPath $csv } }
            @{ Source = 'Get-RunConfig -Flatten'; Write = { Get-WandbRun -Path $wandb | Get-RunConfig -Flatten | Export-Csv -LiteralPath $csv } }
            @{ Source = 'Select-Object Id'; Write = { Get-WandbRun -Path $wandb | Select-Object Id | Export-Csv -LiteralPath $csv } }
        ) {
            $csv = Join-Path $TestDrive 'runs.csv'
            & $Write
            # From another folder, so the rows' own RunPath (or the default ./wandb for bare ids) must be what is read.
            $back = @(Import-Csv -LiteralPath $csv | Get-WandbRun)
            ($back.Id -join ',') | Should -Be ($runs.Id -join ',')
        }

        It 'reads a row''s run from the row''s folder, not from the current location' {
            Push-Location $TestDrive
            try {
                $row = Get-RunSummary -Path $wandb -Id fin0002b
                $run = @($row | Get-WandbRun)
                $run.Id | Should -Be @('fin0002b')
                $run.Path | Should -Be $byId['fin0002b'].Path
            }
            finally {
                Pop-Location
            }
        }

        It 'goes from an artifact to the run that logged it, by RunId, not by the artifact''s own Id' {
            $artifact = Get-WandbRun -Path $wandb -Id fin0001a | Get-RunLoggedArtifact -Name model:latest
            @($artifact | Get-WandbRun).Id | Should -Be @('fin0001a')
        }

        It 'prefers RunId, RunPath and RunProject to a user''s keys named id, path and project' {
            $row = [pscustomobject]@{ RunId = 'fin0002b'; RunPath = $byId['fin0002b'].Path; RunProject = 'mnist-sweep'; RunEntity = 'acme-ml'; id = 7; path = 'runs/train'; project = 'yolo' }
            @($row | Get-WandbRun -ErrorAction Stop).Id | Should -Be @('fin0002b')
        }

        It 'reads a run piped back in again from its own folder' {
            Push-Location $TestDrive
            try {
                ($runs[0..1] | Get-WandbRun).Id -join ',' | Should -Be (($runs[0..1]).Id -join ',')
            }
            finally {
                Pop-Location
            }
        }

        It 'takes folders from Get-ChildItem by FullName, not as ids' {
            $found = @(Get-ChildItem -LiteralPath $wandb -Directory -Filter 'run-*fin000*' | Get-WandbRun)
            ($found.Id | Sort-Object) -join ',' | Should -Be 'fin0001a,fin0002b,fin0003c'
        }

        It 'lets a path typed on the command line win over the piped object''s' {
            $other = Join-Path $TestDrive 'elsewhere'
            $null = New-Item -ItemType Directory -Path $other -Force
            $row = [pscustomobject]@{ RunId = 'fin0001a'; RunPath = $other }
            @($row | Get-WandbRun -Path $wandb).Id | Should -Be @('fin0001a')
        }
    }

    Context 'tab completion' {
        BeforeAll {
            function Complete([string] $Line) {
                @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
            }
        }

        It 'completes -<Parameter> from the runs, not from file names' -TestCases @(
            @{ Parameter = 'Name'; Typed = 'ca'; Expected = 'calm-forest-2' }
            @{ Parameter = 'Tag'; Typed = ''; Expected = 'baseline,best,sweep' }
            @{ Parameter = 'JobType'; Typed = ''; Expected = 'train' }
            @{ Parameter = 'Group'; Typed = 'b'; Expected = 'baseline' }
            @{ Parameter = 'Sweep'; Typed = ''; Expected = 'swp01' }
            @{ Parameter = 'User'; Typed = ''; Expected = 'ana,ben' }
        ) {
            (Complete "Get-WandbRun -Path '$wandb' -$Parameter $Typed") -join ',' | Should -BeExactly $Expected
        }

        It 'completes -OrderBy with run properties and Config./Summary. keys, descending once a dash is typed' {
            $keys = Complete "Get-WandbRun -Path '$wandb' -OrderBy "
            $keys | Should -Contain 'CreatedAt'
            $keys | Should -Contain 'Runtime'
            $keys | Should -Contain 'Summary.accuracy'
            $keys | Should -Contain 'Config.optimizer.name'
            $keys | Should -Not -Contain 'Config._wandb'
            Complete "Get-WandbRun -Path '$wandb' -OrderBy Summary.acc" | Should -BeExactly 'Summary.accuracy'
            Complete "Get-WandbRun -Path '$wandb' -OrderBy '-Summary.acc" | Should -BeExactly "'-Summary.accuracy'"
        }

        It 'completes the first positional argument with run ids' {
            Complete "Get-WandbRun -Path '$wandb' fin" | Should -Be @('fin0001a', 'fin0002b', 'fin0003c')
        }

        It 'offers nothing, and no error, where the path does not exist' {
            $Error.Clear()
            Complete "Get-WandbRun -Path '$TestDrive/nowhere' -Tag " | Should -BeNullOrEmpty
            $Error | Should -BeNullOrEmpty
        }
    }
}

Describe 'Get-WandbRun: what a user sees' {
    Context 'the sample runs' {
        It 'shows a table at <Width> columns with whole names and no type names' -TestCases @(
            @{ Width = 80 }
            @{ Width = 120 }
        ) {
            $text = Out-UserText -InputObject $runs -Width $Width
            ($text -split "`r?`n" | Where-Object { $_ -match '^Id ' }) | Should -Match '^Id\s+Name\s+State\s+CreatedAt\s+Runtime'
            foreach ($run in $runs) { $text | Should -Match ([regex]::Escape($run.Name)) }
            Assert-NoTypeName $text
        }

        It 'shows tags, config and summary as text in the list view, numbers whole' {
            $text = Out-UserText -InputObject $byId['fin0002b'] -As List
            $text | Should -Match 'Tags\s+: sweep, best'
            $text | Should -Match 'Synced\s+: True'
            Out-UserText -InputObject $byId['offl008h'] -As List | Should -Match 'Synced\s+: False'
            $text | Should -Match 'learning_rate=0\.01\b'
            Assert-NoTypeName $text
        }

        It 'exports Tags and Folders to CSV as their items joined by ", "' {
            $csv = @($byId['fin0002b'] | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv)
            $csv[0].Tags | Should -BeExactly 'sweep, best'
            $csv[0].Folders | Should -BeExactly $byId['fin0002b'].Path
            $csv[0].Config | Should -Match '^@\{.*learning_rate=0\.01'
            Assert-NoTypeName ($byId['fin0002b'] | ConvertTo-Csv -NoTypeInformation | Out-String)
        }

        It 'gives empty Tags as an empty list, never $null' {
            $byId['resu007g'].Tags.Count | Should -Be 0
            ConvertTo-Json -InputObject $byId['resu007g'].Tags -Compress | Should -BeExactly '[]'
        }

        It 'writes readable JSON for a ticket with -EnumsAsStrings: State and Source by name, Tags as an array' {
            $json = $byId['fin0002b'] | ConvertTo-Json -EnumsAsStrings -Depth 3
            $object = $json | ConvertFrom-Json
            $object.State | Should -BeExactly 'Finished'
            $object.Source | Should -BeExactly 'Local'
            @($object.Tags) -join ',' | Should -BeExactly 'sweep,best'
            $object.Config.learning_rate | Should -Be 0.01
            $object.Runtime.TotalSeconds | Should -Be 4500
            Assert-NoTypeName $json
        }

        It 'finds runs with Select-String on their text' {
            @($runs | Out-String -Stream | Select-String -SimpleMatch 'calm-forest-2').Count | Should -Be 1
        }
    }

    Context 'the real SDK 0.22.1 runs' {
        It 'shows long real run names whole at 80 columns' {
            if (Skip-WithoutRealFixtures) { return }
            $real = @(Get-WandbRun -Path (Get-RealFixture 'sdk-0.22.1-online') -WarningAction SilentlyContinue)
            $text = Out-UserText -InputObject $real -Width 80
            $text | Should -Match 'reds_k5_20251001-115336'
            # Five whole columns and one header line: no header is cut into a wrapped second line.
            $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
            (-split $lines[0]) -join ',' | Should -BeExactly 'Id,Name,State,CreatedAt,Runtime'
            $lines[1] | Should -Match '^--\s+----\s+-----\s+---------\s+-------$'
            foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
            Assert-NoTypeName $text
        }
    }
}
